package io.spillway.node.sip.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.spillway.sip.SipMessage;
import io.spillway.sip.SipParseException;
import io.spillway.sip.SipParser;
import java.net.InetSocketAddress;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Reads SIP datagrams: strips a PROXY v2 header from a trusted load balancer (rejecting and counting
 * one from anyone else), skips keep-alives (CRLF, empty datagrams), parses, and hands the message to
 * the sink. Nothing thrown here reaches the event loop.
 */
@ChannelHandler.Sharable
final class UdpSipHandler extends SimpleChannelInboundHandler<DatagramPacket> {
    private static final Logger LOG = Logger.getLogger("spillway.sip");

    private final InboundSink sink;
    private final TrustedPeers trusted;
    private final TransportCounters counters;

    private final java.util.function.Predicate<java.net.InetAddress> admission;

    UdpSipHandler(InboundSink sink, TrustedPeers trusted, TransportCounters counters,
                  java.util.function.Predicate<java.net.InetAddress> admission) {
        this.admission = admission;
        this.sink = sink;
        this.trusted = trusted;
        this.counters = counters;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
        try {
            read(ctx, packet);
        } catch (RuntimeException e) {
            counters.inboundIgnored.increment();
            LOG.log(Level.FINE, "unexpected error on a datagram from " + packet.sender(), e);
        }
    }

    private void read(ChannelHandlerContext ctx, DatagramPacket packet) {
        ByteBuf buf = packet.content();
        InetSocketAddress peer = packet.sender();
        InetSocketAddress remote = peer;
        if (ProxyV2DatagramDecoder.hasSignature(buf)) {
            if (!trusted.contains(peer.getAddress())) {
                counters.proxyProtocolRejected.increment();
                return;
            }
            ProxyV2DatagramDecoder.Header header = ProxyV2DatagramDecoder.decode(buf);
            if (header == null) {
                counters.proxyProtocolRejected.increment();
                return;
            }
            counters.proxyProtocolAccepted.increment();
            buf.skipBytes(header.length());
            if (header.source() != null) {
                remote = header.source();
            }
        }
        if (!admission.test(remote.getAddress())) {
            return; // the access gateway dropped it (counted there)
        }
        if (isKeepAlive(buf)) {
            counters.inboundIgnored.increment();
            return;
        }
        SipSource source = new SipSource(SipTransportKind.UDP, remote, peer, ctx.channel());
        SipMessage message;
        try {
            message = SipParser.parse(buf);
        } catch (SipParseException e) {
            sink.onParseError(e, source);
            return;
        }
        InboundDecoder.deliver(message, source, sink);
    }

    /** Empty, or only CR/LF (RFC 5626 keep-alives), or a 4-byte all-zero STUN-less ping. */
    private static boolean isKeepAlive(ByteBuf buf) {
        int r = buf.readerIndex();
        int w = buf.writerIndex();
        for (int i = r; i < w; i++) {
            byte b = buf.getByte(i);
            if (b != '\r' && b != '\n' && b != 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // ICMP errors and the like on an unconnected UDP socket: nothing to do but count
        counters.inboundIgnored.increment();
        LOG.log(Level.FINE, "UDP channel error", cause);
    }
}
