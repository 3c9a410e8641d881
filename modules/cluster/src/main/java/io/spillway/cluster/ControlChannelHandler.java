package io.spillway.cluster;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;

/**
 * Wires the control socket to the {@link ControlEndpoint}: hands every datagram to it and makes
 * sure nothing thrown while handling one datagram reaches the event loop (it is counted as
 * malformed instead).
 */
final class ControlChannelHandler extends SimpleChannelInboundHandler<DatagramPacket> {
    private final ControlEndpoint endpoint;
    private final ClusterCounters counters;
    private final java.util.function.Predicate<java.net.InetSocketAddress> sourceFilter;

    ControlChannelHandler(final ControlEndpoint endpoint, final ClusterCounters counters,
                          final java.util.function.Predicate<java.net.InetSocketAddress> sourceFilter) {
        super(true);
        this.endpoint = endpoint;
        this.counters = counters;
        this.sourceFilter = sourceFilter;
    }

    @Override
    protected void channelRead0(final ChannelHandlerContext ctx, final DatagramPacket packet) {
        if (!sourceFilter.test(packet.sender())) {
            return; // refused by the node's network policy before the MAC is computed (counted there)
        }
        try {
            endpoint.onDatagram(packet.content());
        } catch (final RuntimeException e) {
            counters.increment(ClusterCounter.DROPPED_MALFORMED);
        }
    }

    @Override
    public void channelReadComplete(final ChannelHandlerContext ctx) {
        endpoint.flush(); // the ACKs and answers of a whole read burst leave together
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause) {
        // ICMP errors surfaced by some transports (port unreachable from a dead peer): the hop
        // timeout handles the peer; nothing to do here, and never close the shared socket.
    }
}
