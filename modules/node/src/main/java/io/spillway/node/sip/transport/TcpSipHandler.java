package io.spillway.node.sip.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.NetUtil;
import io.netty.util.ReferenceCountUtil;
import io.spillway.sip.SipMessage;
import io.spillway.sip.SipParseException;
import io.spillway.sip.SipStreamFramer;
import java.net.InetSocketAddress;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One TCP connection (accepted or opened by the node): frames the stream into SIP messages
 * ({@link SipStreamFramer}), adopts the client address of a PROXY header, keeps the connection in the
 * {@link TcpConnectionTable} while it is open and closes it when idle or on a framing error.
 */
final class TcpSipHandler extends ChannelInboundHandlerAdapter implements SipStreamFramer.Sink {
    private static final Logger LOG = Logger.getLogger("spillway.sip");

    private final InboundSink sink;
    private final TcpConnectionTable table;
    private final TransportCounters counters;
    private final SipStreamFramer framer = new SipStreamFramer();
    private ChannelHandlerContext ctx;
    private InetSocketAddress peer;
    private InetSocketAddress remote;

    private final java.util.function.Predicate<java.net.InetAddress> admission;

    TcpSipHandler(InboundSink sink, TcpConnectionTable table, TransportCounters counters,
                  java.util.function.Predicate<java.net.InetAddress> admission) {
        this.admission = admission;
        this.sink = sink;
        this.table = table;
        this.counters = counters;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        peer = (InetSocketAddress) ctx.channel().remoteAddress();
        remote = peer;
        counters.tcpConnectionsOpened.increment();
        table.put(peer, ctx.channel());
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (peer != null) {
            table.remove(peer, ctx.channel());
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof HAProxyMessage proxy) {
                if (proxy.sourceAddress() != null && NetUtil.isValidIpV4Address(proxy.sourceAddress())
                        || proxy.sourceAddress() != null && NetUtil.isValidIpV6Address(proxy.sourceAddress())) {
                    remote = new InetSocketAddress(NetUtil.createInetAddressFromIpAddressString(proxy.sourceAddress()),
                        proxy.sourcePort());
                }
            } else if (msg instanceof ByteBuf buf) {
                if (!framer.decode(buf, this)) {
                    counters.tcpFramingErrors.increment();
                    ctx.close();
                }
            }
        } catch (RuntimeException e) {
            counters.inboundIgnored.increment();
            LOG.log(Level.FINE, "unexpected error on TCP from " + remote, e);
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void message(SipMessage message) {
        if (!admission.test(remote.getAddress())) {
            return; // the access gateway dropped it (counted there)
        }
        InboundDecoder.deliver(message, new SipSource(SipTransportKind.TCP, remote, peer, ctx.channel()), sink);
    }

    @Override
    public void error(SipParseException error, boolean fatal) {
        if (fatal) {
            // the framer has failed; the read loop closes the connection
            counters.inboundIgnored.increment();
            return;
        }
        sink.onParseError(error, new SipSource(SipTransportKind.TCP, remote, peer, ctx.channel()));
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            ctx.close();
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // resets, PROXY header decoding failures: the connection is useless
        counters.inboundIgnored.increment();
        LOG.log(Level.FINE, "TCP connection " + remote + " failed", cause);
        ctx.close();
    }
}
