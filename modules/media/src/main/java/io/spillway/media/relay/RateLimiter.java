package io.spillway.media.relay;

/**
 * A packet-rate cap for one leg's inbound direction: a token bucket kept as the generic cell rate
 * algorithm's theoretical arrival time, advanced by the packets' own receive times. One {@code long}
 * of state, no allocation, no lock: a leg lives on one event loop. The rate is passed in on each call
 * (from the session), so it can be changed without touching the legs.
 */
public final class RateLimiter {
    private long tatNs = Long.MIN_VALUE;

    /**
     * Takes one packet's token.
     *
     * @param nowNs       the packet's receive time
     * @param intervalNs  nanoseconds per packet at the sustained rate; 0 = no cap
     * @param toleranceNs how far ahead of the sustained rate a burst may run
     * @return false when the packet exceeds the rate (drop it)
     */
    public boolean tryAcquire(long nowNs, long intervalNs, long toleranceNs) {
        if (intervalNs == 0) {
            return true;
        }
        long start = tatNs == Long.MIN_VALUE || tatNs - nowNs < 0 ? nowNs : tatNs;
        if (start - nowNs > toleranceNs) {
            return false;
        }
        tatNs = start + intervalNs;
        return true;
    }
}
