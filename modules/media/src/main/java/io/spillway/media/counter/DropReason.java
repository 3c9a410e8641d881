package io.spillway.media.counter;

/** Why the relay dropped a datagram instead of forwarding it; each reason has its own counter. */
public enum DropReason {
    /** Sender is not the latched source of the leg (strict source). */
    UNLATCHED_SOURCE,
    /** Shorter than an RTP (12 bytes) or RTCP (8 bytes) header. */
    TOO_SHORT,
    /** Version bits are not 2. */
    BAD_VERSION,
    /** Larger than the configured maximum packet size. */
    OVERSIZE,
    /** The port's session has ended. */
    NO_SESSION,
    /** The other leg has no known remote address yet. */
    NO_DESTINATION,
    /** The outgoing socket's send queue is above its high-water mark. */
    SEND_QUEUE_FULL,
    /** The leg's inbound packet rate is above the per-stream cap (an RTP flood from the latched source). */
    RATE_LIMITED;

    private static final DropReason[] VALUES = values();

    /** Counter index of this reason inside a {@link RelayCounters} array. */
    public int counterIndex() {
        return RelayCounters.FIRST_DROP + ordinal();
    }

    /** All reasons, shared, do not modify. */
    public static DropReason[] all() {
        return VALUES;
    }
}
