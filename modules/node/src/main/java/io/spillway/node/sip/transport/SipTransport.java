package io.spillway.node.sip.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.ServerChannel;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.timeout.IdleStateHandler;
import io.spillway.sip.SipLimits;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The node's SIP sockets: one UDP socket and one TCP listener per configured address, all on one
 * signalling event loop so the layers above own their state without locks. Sends go out on the socket
 * a request came in on when given, else on the UDP socket of the destination's address family, or
 * over the TCP connection table (connecting on demand; a refused connection is reported to the
 * sender's {@link SendFailureListener}).
 */
public final class SipTransport {
    /** Socket receive buffer: room for a burst of a few thousand datagrams. */
    private static final int UDP_RCVBUF_BYTES = 4 << 20;
    private static final int CONNECT_TIMEOUT_MS = 5_000;

    /** How to make channels; lets the node pass its epoll or NIO classes. */
    public record ChannelClasses(Class<? extends DatagramChannel> datagram,
                                 Class<? extends ServerChannel> server,
                                 Class<? extends SocketChannel> socket) {
    }

    private final EventLoop loop;
    private final ChannelClasses classes;
    private final InboundSink sink;
    private final TrustedPeers trusted;
    private final TransportCounters counters = new TransportCounters();
    private final TcpConnectionTable connections = new TcpConnectionTable();
    private final Map<InetSocketAddress, ChannelFuture> connecting = new HashMap<>();
    private final long tcpIdleMs;
    private final List<Channel> udp = new ArrayList<>();
    private final List<Channel> tcp = new ArrayList<>();
    private final UdpSipHandler udpHandler;
    private final ChannelGroup streams;
    private volatile Predicate<SipDestination> dropFilter;
    private volatile Predicate<InetAddress> admission = source -> true;
    private volatile List<io.netty.channel.ChannelHandler> tcpGuards = List.of();

    public SipTransport(EventLoop loop, ChannelClasses classes, InboundSink sink, List<InetAddress> trustedLoadBalancers,
                        long tcpIdleMs) {
        this.loop = loop;
        this.classes = classes;
        this.sink = sink;
        this.trusted = new TrustedPeers(trustedLoadBalancers);
        this.tcpIdleMs = tcpIdleMs;
        this.udpHandler = new UdpSipHandler(sink, trusted, counters, this::admits);
        this.streams = new DefaultChannelGroup("sip-tcp", loop);
    }

    /**
     * Binds UDP on {@code udpPort} and TCP on {@code tcpPort} on every address; blocks until bound.
     * A bind failure names the config key and the address in its message ({@code cannot listen on
     * sip.udp_port 127.0.0.1:5060 (sip.listen 127.0.0.1): ... Address already in use}): an operator reads it in
     * the journal, and Netty's own {@code bind(..) failed} says neither.
     *
     * @throws IOException when a port cannot be bound; what was bound before stays bound until {@link #close}
     */
    public void bind(List<InetAddress> addresses, int udpPort, int tcpPort) throws InterruptedException, IOException {
        for (InetAddress address : addresses) {
            InetSocketAddress udpAddress = new InetSocketAddress(address, udpPort);
            ChannelFuture udpBind = new Bootstrap().group(loop).channel(classes.datagram())
                .option(ChannelOption.SO_RCVBUF, UDP_RCVBUF_BYTES)
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(SipLimits.MAX_MESSAGE_BYTES))
                .handler(udpHandler)
                .bind(udpAddress).await();
            if (!udpBind.isSuccess()) {
                throw bindFailed("sip.udp_port", udpAddress, udpBind.cause());
            }
            udp.add(udpBind.channel());
            InetSocketAddress tcpAddress = new InetSocketAddress(address, tcpPort);
            ChannelFuture tcpBind = new ServerBootstrap().group(loop, loop).channel(classes.server())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        InetSocketAddress peer = ch.remoteAddress();
                        boolean trustedPeer = peer != null && trusted.contains(peer.getAddress());
                        if (!trustedPeer) {
                            // a load balancer's connections are judged per message by their PROXY source
                            ch.pipeline().addLast(tcpGuards.toArray(io.netty.channel.ChannelHandler[]::new));
                        }
                        ch.pipeline().addLast("proxy-sniffer", new ProxyProtocolSniffer(trustedPeer, counters));
                        initStream(ch);
                    }
                })
                .bind(tcpAddress).await();
            if (!tcpBind.isSuccess()) {
                throw bindFailed("sip.tcp_port", tcpAddress, tcpBind.cause());
            }
            tcp.add(tcpBind.channel());
        }
    }

    private static IOException bindFailed(String key, InetSocketAddress address, Throwable cause) {
        String host = address.getAddress().getHostAddress();
        String hostPort = (address.getAddress() instanceof Inet6Address ? "[" + host + "]" : host) + ":" + address.getPort();
        return new IOException("cannot listen on " + key + " " + hostPort + " (sip.listen " + host + "): "
            + cause.getMessage(), cause);
    }

    private void initStream(Channel ch) {
        streams.add(ch);
        ch.pipeline().addLast("idle", new IdleStateHandler(0, 0, tcpIdleMs, TimeUnit.MILLISECONDS));
        ch.pipeline().addLast("sip", new TcpSipHandler(sink, connections, counters, this::admits));
    }

    /**
     * The access gateway's hooks ({@code io.spillway.node.gateway}); set before {@link #bind}.
     * {@code admission} is asked for every datagram and framed TCP message with its effective source
     * (the PROXY header's from a trusted load balancer) before it is parsed or delivered; false drops it.
     * {@code tcpGuards} are @Sharable handlers put first on connections from peers other than the
     * trusted load balancers (network policy, connection cap).
     */
    public void setAccessControl(Predicate<InetAddress> admission, List<io.netty.channel.ChannelHandler> tcpGuards) {
        this.admission = admission;
        this.tcpGuards = List.copyOf(tcpGuards);
    }

    private boolean admits(InetAddress source) {
        return admission.test(source);
    }

    /** The loop every channel and every layer above runs on. */
    public EventLoop loop() {
        return loop;
    }

    public TransportCounters counters() {
        return counters;
    }

    public TcpConnectionTable connections() {
        return connections;
    }

    /** Bound UDP addresses, in configured order. */
    public List<InetSocketAddress> udpAddresses() {
        List<InetSocketAddress> out = new ArrayList<>();
        for (Channel c : udp) {
            out.add((InetSocketAddress) c.localAddress());
        }
        return out;
    }

    /** Bound TCP listen addresses, in configured order. */
    public List<InetSocketAddress> tcpAddresses() {
        List<InetSocketAddress> out = new ArrayList<>();
        for (Channel c : tcp) {
            out.add((InetSocketAddress) c.localAddress());
        }
        return out;
    }

    /**
     * The node's own address for Via and Record-Route on {@code kind} towards {@code destination}: the
     * listener of the same family (IPv4/IPv6), else the first.
     */
    public InetSocketAddress advertised(SipTransportKind kind, InetSocketAddress destination) {
        List<Channel> list = kind == SipTransportKind.UDP ? udp : tcp;
        boolean v6 = destination != null && destination.getAddress() instanceof Inet6Address;
        for (Channel c : list) {
            InetSocketAddress a = (InetSocketAddress) c.localAddress();
            if ((a.getAddress() instanceof Inet6Address) == v6) {
                return a;
            }
        }
        return (InetSocketAddress) list.get(0).localAddress();
    }

    /** True when {@code host:port} names one of this node's listeners (any transport). */
    public boolean isOwnAddress(InetAddress host, int port) {
        for (InetSocketAddress a : udpAddresses()) {
            if (a.getPort() == port && (a.getAddress().equals(host) || a.getAddress().isAnyLocalAddress())) {
                return true;
            }
        }
        for (InetSocketAddress a : tcpAddresses()) {
            if (a.getPort() == port && (a.getAddress().equals(host) || a.getAddress().isAnyLocalAddress())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Test hook: messages to destinations this accepts are discarded (and counted) instead of sent
     * (loss injection on UDP; keeping tests from reaching any address outside loopback).
     */
    public void setDropFilter(Predicate<SipDestination> filter) {
        this.dropFilter = filter;
    }

    /** Sends bytes; call on the loop. A TCP failure reaches {@code onFailure} (on the loop). */
    public void send(byte[] bytes, SipDestination destination, SendFailureListener onFailure) {
        Predicate<SipDestination> filter = dropFilter;
        if (filter != null && filter.test(destination)) {
            counters.sendDropped.increment();
            return;
        }
        if (destination.transport() == SipTransportKind.UDP) {
            Channel channel = destination.channel() != null ? destination.channel() : udpFor(destination.address());
            channel.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(bytes), destination.address()))
                .addListener(f -> {
                    if (!f.isSuccess()) {
                        counters.sendFailures.increment();
                        onFailure.onSendFailure(f.cause());
                    }
                });
            return;
        }
        Channel channel = destination.channel();
        if (channel == null || !channel.isActive()) {
            channel = connections.get(destination.address());
        }
        if (channel != null) {
            write(channel, bytes, onFailure);
            return;
        }
        ChannelFuture pending = connecting.get(destination.address());
        if (pending == null) {
            pending = connect(destination.address());
        }
        pending.addListener((ChannelFuture f) -> {
            if (f.isSuccess()) {
                write(f.channel(), bytes, onFailure);
            } else {
                counters.sendFailures.increment();
                onFailure.onSendFailure(f.cause());
            }
        });
    }

    private ChannelFuture connect(InetSocketAddress address) {
        ChannelFuture f = new Bootstrap().group(loop).channel(classes.socket())
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MS)
            .handler(new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel ch) {
                    initStream(ch);
                }
            })
            .connect(address);
        connecting.put(address, f);
        f.addListener(done -> connecting.remove(address, f));
        return f;
    }

    private void write(Channel channel, byte[] bytes, SendFailureListener onFailure) {
        channel.writeAndFlush(Unpooled.wrappedBuffer(bytes)).addListener(f -> {
            if (!f.isSuccess()) {
                counters.sendFailures.increment();
                onFailure.onSendFailure(f.cause());
            }
        });
    }

    private Channel udpFor(InetSocketAddress destination) {
        boolean v6 = destination.getAddress() instanceof Inet6Address;
        for (Channel c : udp) {
            if ((((InetSocketAddress) c.localAddress()).getAddress() instanceof Inet6Address) == v6) {
                return c;
            }
        }
        return udp.get(0);
    }

    /** Closes every listener and connection; blocks until closed. */
    public void close() {
        List<Channel> all = new ArrayList<>(udp);
        all.addAll(tcp);
        for (Channel c : all) {
            c.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        streams.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
    }
}
