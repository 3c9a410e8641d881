package io.spillway.media.relay;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;

import java.util.function.LongSupplier;

/**
 * The last handler of a relay socket's pipeline: hands each datagram to the leg's forwarding
 * decision and writes the same buffer out of the peer socket in a recycled envelope (ownership
 * moves with the write, so nothing is copied or allocated), then flushes each touched socket once per read batch.
 */
final class RelayEndpointHandler extends ChannelInboundHandlerAdapter {
    private final RelayEndpoint endpoint;
    private final LongSupplier nowNs;
    private final ErrorCounter errors;
    private final EnvelopePool envelopes;
    private Channel pendingFlush;
    private Channel pendingFlushOther;

    RelayEndpointHandler(RelayEndpoint endpoint, LongSupplier nowNs, ErrorCounter errors) {
        this.endpoint = endpoint;
        this.nowNs = nowNs;
        this.errors = errors;
        this.envelopes = endpoint.leg().stream().session().loop().envelopes();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof DatagramPacket)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        long startNs = RelayLatency.ENABLED ? System.nanoTime() : 0;
        DatagramPacket packet = (DatagramPacket) msg;
        ByteBuf content = packet.content();
        RelayEndpoint out;
        try {
            out = endpoint.leg().receive(content, packet.sender(), endpoint, nowNs.getAsLong());
        } catch (RuntimeException e) {
            // A bug must cost one packet, not the buffer or the loop.
            content.release();
            errors.onError(e);
            return;
        }
        if (out == null) {
            content.release();
        } else {
            Channel channel = out.channel();
            channel.write(envelopes.acquire(content, out.remote()), channel.voidPromise());
            markForFlush(channel);
        }
        if (RelayLatency.ENABLED) {
            RelayLatency.record(startNs);
        }
    }

    private void markForFlush(Channel channel) {
        if (pendingFlush == null || pendingFlush == channel) {
            pendingFlush = channel;
        } else if (pendingFlushOther == null || pendingFlushOther == channel) {
            pendingFlushOther = channel;
        } else {
            channel.flush();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (pendingFlush != null) {
            pendingFlush.flush();
            pendingFlush = null;
        }
        if (pendingFlushOther != null) {
            pendingFlushOther.flush();
            pendingFlushOther = null;
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Failed sends (voidPromise) and socket errors land here; count, never rethrow.
        errors.onError(cause);
    }

    /** Receives errors of relay sockets; implementations must not block or throw. */
    interface ErrorCounter {
        void onError(Throwable cause);
    }
}
