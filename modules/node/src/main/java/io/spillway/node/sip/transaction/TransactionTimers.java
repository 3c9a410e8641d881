package io.spillway.node.sip.transaction;

/**
 * RFC 3261 timer base values, in milliseconds (17.1.1.1, table 4).
 *
 * @param t1Ms round-trip estimate (500 ms by default)
 * @param t2Ms cap on non-INVITE and response retransmit intervals (4 s)
 * @param t4Ms how long a message may stay in the network (5 s)
 */
public record TransactionTimers(long t1Ms, long t2Ms, long t4Ms) {
    /** The RFC defaults. */
    public static final TransactionTimers DEFAULT = new TransactionTimers(500, 4000, 5000);

    public TransactionTimers {
        if (t1Ms <= 0 || t2Ms < t1Ms || t4Ms <= 0) {
            throw new IllegalArgumentException("need 0 < t1 <= t2 and t4 > 0: " + t1Ms + "/" + t2Ms + "/" + t4Ms);
        }
    }

    /** Timers B, F, H and J: 64*T1. */
    public long timeoutMs() {
        return 64 * t1Ms;
    }

    /** Timer D over UDP: at least 32 s, or 64*T1 when that is longer. */
    public long timerDMs() {
        return Math.max(32_000, 64 * t1Ms);
    }
}
