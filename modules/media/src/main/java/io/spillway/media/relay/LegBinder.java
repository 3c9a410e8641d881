package io.spillway.media.relay;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.socket.DatagramChannel;
import io.spillway.media.IpFamily;
import io.spillway.media.port.PortPairAllocator;
import io.spillway.media.port.PortRangeExhaustedException;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Binds and closes the relay sockets of legs, on the session's loop thread. Registration and bind
 * of a datagram channel complete inline when called on its own event loop, so binding is
 * synchronous there and a port in use is skipped at once.
 */
public final class LegBinder {
    private final DatagramTransport transport;
    private final PortPairAllocator ipv4Ports;
    private final PortPairAllocator ipv6Ports;
    private final InetAddress bindIpv4;
    private final InetAddress bindIpv6;
    private final LongSupplier nowNs;
    private final RelayEndpointHandler.ErrorCounter errors;

    public LegBinder(DatagramTransport transport, PortPairAllocator ipv4Ports, PortPairAllocator ipv6Ports,
                     InetAddress bindIpv4, InetAddress bindIpv6, LongSupplier nowNs,
                     Consumer<Throwable> errors) {
        this.transport = transport;
        this.ipv4Ports = ipv4Ports;
        this.ipv6Ports = ipv6Ports;
        this.bindIpv4 = bindIpv4;
        this.bindIpv6 = bindIpv6;
        this.nowNs = nowNs;
        this.errors = errors::accept;
    }

    /**
     * Allocates a port pair and binds the leg's RTP port (and RTCP port unless muxed).
     *
     * @throws PortRangeExhaustedException when no pair can be had
     * @throws IllegalArgumentException when the leg's family has no bind address
     */
    public void bind(RelayLeg leg) {
        PortPairAllocator ports = allocator(leg.family());
        InetAddress address = address(leg.family());
        int attempts = ports.pairCount();
        for (int i = 0; i < attempts; i++) {
            int pair = ports.acquire(nowNs.getAsLong());
            if (!bindEndpoint(leg.rtpEndpoint(), address, ports.rtpPort(pair))) {
                ports.releaseBindFailed(pair, nowNs.getAsLong());
                continue;
            }
            if (!leg.isRtcpMux() && !bindEndpoint(leg.rtcpEndpoint(), address, ports.rtcpPort(pair))) {
                closeEndpoint(leg.rtpEndpoint());
                ports.releaseBindFailed(pair, nowNs.getAsLong());
                continue;
            }
            leg.ports(ports, pair);
            return;
        }
        throw new PortRangeExhaustedException("no bindable RTP/RTCP port pair on "
            + address.getHostAddress() + ": tried " + attempts + " pairs, all held by other sockets");
    }

    /** Switches a bound leg's rtcp-mux; turning it off binds the pair's odd port. */
    public void rtcpMux(RelayLeg leg, boolean mux) {
        if (leg.isRtcpMux() == mux) {
            return;
        }
        if (mux) {
            closeEndpoint(leg.rtcpEndpoint());
        } else if (!bindEndpoint(leg.rtcpEndpoint(), address(leg.family()),
            leg.allocator().rtcpPort(leg.portPair()))) {
            throw new IllegalStateException("cannot bind RTCP port " + leg.allocator().rtcpPort(leg.portPair())
                + " to turn rtcp-mux off: held by another socket");
        }
        leg.rtcpMux(mux);
    }

    /** Closes the leg's sockets and returns its pair to quarantine. Idempotent. */
    public void close(RelayLeg leg) {
        closeEndpoint(leg.rtpEndpoint());
        closeEndpoint(leg.rtcpEndpoint());
        if (leg.allocator() != null) {
            leg.allocator().release(leg.portPair(), nowNs.getAsLong());
            leg.ports(null, -1);
        }
    }

    private boolean bindEndpoint(RelayEndpoint endpoint, InetAddress address, int port) {
        RelayLoop loop = endpoint.leg().stream().session().loop();
        DatagramChannel channel = transport.newChannel(endpoint.leg().family());
        channel.pipeline().addLast(new RelayEndpointHandler(endpoint, nowNs, errors));
        ChannelFuture registered = loop.eventLoop().register(channel);
        if (!registered.isDone()) {
            channel.unsafe().closeForcibly();
            throw new IllegalStateException("relay channel registration did not complete on its loop");
        }
        if (!registered.isSuccess()) {
            channel.unsafe().closeForcibly();
            throw new IllegalStateException("relay channel registration failed", registered.cause());
        }
        ChannelFuture bound = channel.bind(new InetSocketAddress(address, port));
        if (!bound.isDone()) {
            channel.close();
            throw new IllegalStateException("relay channel bind did not complete on its loop");
        }
        if (!bound.isSuccess()) {
            channel.close();
            return false;
        }
        endpoint.attach(channel, port);
        return true;
    }

    private static void closeEndpoint(RelayEndpoint endpoint) {
        Channel channel = endpoint.channel();
        if (channel != null) {
            endpoint.detach();
            channel.close();
        }
    }

    private PortPairAllocator allocator(IpFamily family) {
        PortPairAllocator ports = family == IpFamily.IPV4 ? ipv4Ports : ipv6Ports;
        if (ports == null) {
            throw new IllegalArgumentException("leg asks for " + family + " but media.bind"
                + (family == IpFamily.IPV4 ? "Ipv4" : "Ipv6") + " is not configured");
        }
        return ports;
    }

    private InetAddress address(IpFamily family) {
        return family == IpFamily.IPV4 ? bindIpv4 : bindIpv6;
    }
}
