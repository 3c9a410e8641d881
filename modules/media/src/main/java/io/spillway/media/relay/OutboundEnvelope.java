package io.spillway.media.relay;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.AddressedEnvelope;
import io.netty.channel.socket.DatagramPacket;

import java.net.InetSocketAddress;

/**
 * A mutable, recycled stand-in for {@link DatagramPacket} on the send side: Netty's datagram
 * channels accept any {@link AddressedEnvelope} with a {@link ByteBuf} content, and release it
 * once written, which returns it to its {@link EnvelopePool}. This keeps the forwarding path free
 * of per-packet allocation. (Netty's sendmmsg batching only takes {@code DatagramPacket}; a relay
 * socket carries one RTP flow, so it rarely has more than one packet per flush anyway.)
 *
 * <p>Implements {@link ByteBufHolder} so the channel's size estimator counts the payload bytes
 * towards the write-buffer water marks. Loop thread only.
 */
final class OutboundEnvelope implements AddressedEnvelope<ByteBuf, InetSocketAddress>, ByteBufHolder {
    private final EnvelopePool pool;
    private ByteBuf content;
    private InetSocketAddress recipient;
    private int refCnt;

    OutboundEnvelope(EnvelopePool pool) {
        this.pool = pool;
    }

    OutboundEnvelope init(ByteBuf content, InetSocketAddress recipient) {
        this.content = content;
        this.recipient = recipient;
        this.refCnt = 1;
        return this;
    }

    @Override
    public ByteBuf content() {
        return content;
    }

    @Override
    public InetSocketAddress sender() {
        return null;
    }

    @Override
    public InetSocketAddress recipient() {
        return recipient;
    }

    @Override
    public int refCnt() {
        return refCnt;
    }

    @Override
    public OutboundEnvelope retain() {
        refCnt++;
        return this;
    }

    @Override
    public OutboundEnvelope retain(int increment) {
        refCnt += increment;
        return this;
    }

    @Override
    public OutboundEnvelope touch() {
        content.touch();
        return this;
    }

    @Override
    public OutboundEnvelope touch(Object hint) {
        content.touch(hint);
        return this;
    }

    @Override
    public boolean release() {
        return release(1);
    }

    @Override
    public boolean release(int decrement) {
        if (decrement <= 0 || decrement > refCnt) {
            throw new IllegalStateException("envelope refCnt " + refCnt + ", release(" + decrement + ")");
        }
        refCnt -= decrement;
        if (refCnt > 0) {
            return false;
        }
        ByteBuf buf = content;
        content = null;
        recipient = null;
        buf.release();
        pool.recycle(this);
        return true;
    }

    // ByteBufHolder copies: not used on the relay path, they produce ordinary DatagramPackets.

    @Override
    public ByteBufHolder copy() {
        return new DatagramPacket(content.copy(), recipient);
    }

    @Override
    public ByteBufHolder duplicate() {
        return new DatagramPacket(content.duplicate(), recipient);
    }

    @Override
    public ByteBufHolder retainedDuplicate() {
        return new DatagramPacket(content.retainedDuplicate(), recipient);
    }

    @Override
    public ByteBufHolder replace(ByteBuf replacement) {
        return new DatagramPacket(replacement, recipient);
    }

    @Override
    public String toString() {
        return "OutboundEnvelope(" + recipient + ", " + content + ")";
    }
}
