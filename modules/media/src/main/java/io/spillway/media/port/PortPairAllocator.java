package io.spillway.media.port;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Hands out (RTP even, RTCP odd) port pairs of one bind address. A pair is FREE, IN_USE or
 * QUARANTINED until a deadline; acquiring scans round-robin from a shared cursor and claims a pair
 * by CAS, so it is lock-free and spreads reuse over the whole range. Pairs whose bind failed
 * (another process holds the port) are quarantined too, and retried after the quarantine.
 */
public final class PortPairAllocator {
    private static final int FREE = 0;
    private static final int IN_USE = 1;
    private static final int QUARANTINED = 2;

    private final String label;
    private final int firstPort;
    private final int pairCount;
    private final long quarantineNs;
    private final AtomicIntegerArray state;
    private final AtomicLongArray quarantineUntilNs;
    private final AtomicInteger cursor = new AtomicInteger();
    private final AtomicInteger inUse = new AtomicInteger();
    private final AtomicLong exhaustions = new AtomicLong();
    private final AtomicLong bindFailures = new AtomicLong();

    /**
     * @param label names the bind address in error messages
     * @param portMin lowest port of the range (rounded up to even)
     * @param portMax highest port of the range
     * @param quarantineMs how long a released pair is held back
     */
    public PortPairAllocator(String label, int portMin, int portMax, long quarantineMs) {
        this.label = label;
        this.firstPort = (portMin + 1) & ~1;
        this.pairCount = Math.max(0, (portMax - firstPort + 1) / 2);
        if (pairCount == 0) {
            throw new IllegalArgumentException(
                "port range " + portMin + "-" + portMax + " holds no even/odd port pair");
        }
        this.quarantineNs = TimeUnit.MILLISECONDS.toNanos(quarantineMs);
        this.state = new AtomicIntegerArray(pairCount);
        this.quarantineUntilNs = new AtomicLongArray(pairCount);
    }

    /**
     * Claims a pair.
     *
     * @return the pair index (see {@link #rtpPort(int)})
     * @throws PortRangeExhaustedException when every pair is in use or quarantined
     */
    public int acquire(long nowNs) {
        int start = Math.floorMod(cursor.getAndIncrement(), pairCount);
        for (int i = 0; i < pairCount; i++) {
            int pair = start + i;
            if (pair >= pairCount) {
                pair -= pairCount;
            }
            int s = state.get(pair);
            if (s == FREE || (s == QUARANTINED && quarantineUntilNs.get(pair) - nowNs <= 0)) {
                if (state.compareAndSet(pair, s, IN_USE)) {
                    inUse.incrementAndGet();
                    return pair;
                }
            }
        }
        exhaustions.incrementAndGet();
        throw exhausted(nowNs);
    }

    /** Returns a pair; it becomes available again after the quarantine. */
    public void release(int pair, long nowNs) {
        quarantineUntilNs.set(pair, nowNs + quarantineNs);
        if (state.compareAndSet(pair, IN_USE, QUARANTINED)) {
            inUse.decrementAndGet();
        }
    }

    /** Returns a pair whose port could not be bound; counted, then quarantined like a release. */
    public void releaseBindFailed(int pair, long nowNs) {
        bindFailures.incrementAndGet();
        release(pair, nowNs);
    }

    public int rtpPort(int pair) {
        return firstPort + 2 * pair;
    }

    public int rtcpPort(int pair) {
        return firstPort + 2 * pair + 1;
    }

    public int pairCount() {
        return pairCount;
    }

    /** Pairs currently bound by sessions. */
    public int pairsInUse() {
        return inUse.get();
    }

    /** Pairs released but still held back at {@code nowNs}. O(range); for metrics, not per packet. */
    public int pairsQuarantined(long nowNs) {
        int n = 0;
        for (int pair = 0; pair < pairCount; pair++) {
            if (state.get(pair) == QUARANTINED && quarantineUntilNs.get(pair) - nowNs > 0) {
                n++;
            }
        }
        return n;
    }

    /**
     * Pairs that {@link #acquire} could hand out at {@code nowNs}: neither in use nor quarantined.
     * A port held by another process is only found out by trying to bind it.
     */
    public int pairsFree(long nowNs) {
        return pairCount - pairsInUse() - pairsQuarantined(nowNs);
    }

    /** Times {@link #acquire} found nothing. */
    public long exhaustions() {
        return exhaustions.get();
    }

    /** Times a pair could not be bound (port held by another process). */
    public long bindFailures() {
        return bindFailures.get();
    }

    private PortRangeExhaustedException exhausted(long nowNs) {
        int quarantined = pairsQuarantined(nowNs);
        return new PortRangeExhaustedException("no free RTP/RTCP port pair on " + label + " in "
            + firstPort + "-" + (firstPort + 2 * pairCount - 1) + ": " + pairCount + " pairs, "
            + pairsInUse() + " in use, " + quarantined + " quarantined (quarantine "
            + TimeUnit.NANOSECONDS.toMillis(quarantineNs) + " ms)");
    }
}
