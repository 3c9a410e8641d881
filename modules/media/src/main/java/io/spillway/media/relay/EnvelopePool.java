package io.spillway.media.relay;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;

import java.net.InetSocketAddress;

/**
 * A bounded stack of {@link OutboundEnvelope}s owned by one event loop. Grows to the number of
 * packets in flight on the loop, then allocates nothing. Envelopes released on another thread
 * (only at channel teardown) are left to the garbage collector instead of being pooled.
 */
final class EnvelopePool {
    private static final int MAX_POOLED = 8192;

    private final EventLoop owner;
    private final OutboundEnvelope[] stack = new OutboundEnvelope[MAX_POOLED];
    private int size;

    EnvelopePool(EventLoop owner) {
        this.owner = owner;
    }

    /** An envelope around {@code content} addressed to {@code recipient}; takes the content's reference. */
    OutboundEnvelope acquire(ByteBuf content, InetSocketAddress recipient) {
        OutboundEnvelope envelope;
        if (size > 0) {
            envelope = stack[--size];
            stack[size] = null;
        } else {
            envelope = new OutboundEnvelope(this);
        }
        return envelope.init(content, recipient);
    }

    void recycle(OutboundEnvelope envelope) {
        if (size < MAX_POOLED && (owner == null || owner.inEventLoop())) {
            stack[size++] = envelope;
        }
    }
}
