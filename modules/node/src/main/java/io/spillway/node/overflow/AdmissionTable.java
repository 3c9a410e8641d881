package io.spillway.node.overflow;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The calls admitted on this node whose relay session does not exist yet ({@link AdmissionTicket}s),
 * counted for the workload. Lock-free: the count is one atomic, the expiry queue a
 * {@link ConcurrentLinkedQueue} in admission order (every ticket lives the same time, so the head
 * expires first).
 */
public final class AdmissionTable {
    /**
     * Default hold: 64 × T1, the INVITE transaction's Timer B (RFC 3261 17.1.1.2). A call whose offer
     * is not anchored by then has failed.
     */
    public static final long DEFAULT_HOLD_MS = 32_000;

    private final LongSupplier nowNs;
    private final long holdNs;
    private final ConcurrentLinkedQueue<AdmissionTicket> byAge = new ConcurrentLinkedQueue<>();
    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong opened = new AtomicLong();
    private final AtomicLong expired = new AtomicLong();

    /**
     * @param nowNs monotonic clock
     * @param holdMs how long a ticket counts at most
     */
    public AdmissionTable(LongSupplier nowNs, long holdMs) {
        if (holdMs <= 0) {
            throw new IllegalArgumentException("holdMs must be > 0 (was " + holdMs + ")");
        }
        this.nowNs = nowNs;
        this.holdNs = TimeUnit.MILLISECONDS.toNanos(holdMs);
    }

    /** Counts one admitted call; the caller closes the ticket. */
    public AdmissionTicket open() {
        pending.incrementAndGet();
        opened.incrementAndGet();
        AdmissionTicket t = new AdmissionTicket(this, nowNs.getAsLong() + holdNs);
        byAge.add(t);
        return t;
    }

    void closed(boolean byExpiry) {
        pending.decrementAndGet();
        if (byExpiry) {
            expired.incrementAndGet();
        }
    }

    /**
     * Closes tickets older than the hold time and forgets closed ones at the head. One sweeper at a
     * time (the component's timer).
     *
     * @return how many open tickets it expired
     */
    public int sweep() {
        long now = nowNs.getAsLong();
        int n = 0;
        for (AdmissionTicket head = byAge.peek(); head != null; head = byAge.peek()) {
            if (head.isOpen() && head.expiresAtNs() - now > 0) {
                break;
            }
            byAge.poll();
            if (head.expire()) {
                n++;
            }
        }
        return n;
    }

    /** @return admitted calls not yet anchored (open tickets) */
    public long pending() {
        return pending.get();
    }

    /** @return tickets ever opened */
    public long opened() {
        return opened.get();
    }

    /** @return tickets closed by expiry rather than by the proxy */
    public long expired() {
        return expired.get();
    }

    /** @return the hold time in milliseconds */
    public long holdMs() {
        return TimeUnit.NANOSECONDS.toMillis(holdNs);
    }
}
