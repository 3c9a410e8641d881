package io.spillway.node.gateway;

import java.net.InetAddress;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A fail2ban-like block list: a source with {@code maxFailures} authentication failures within
 * {@code windowNs} is blocked for {@code blockNs}. Time comes from the injected {@code nowNs} clock.
 *
 * <p>Memory is bounded by {@code maxSources}: when the table is full, entries whose window and block
 * have passed are swept (at most once per window, so a full table cannot turn every failure into a
 * scan); if it is still full, the new source is not tracked and {@link #untracked()} counts it. Blocked
 * entries are never evicted early. Thread-safe; the per-entry state changes under the entry's own
 * monitor (authentication failures are not a per-packet path), {@link #isBlocked} reads without a lock.
 */
public final class FailureTracker {
    private static final class Entry {
        long windowStartNs;
        int failures;
        volatile long blockedUntilNs;
        volatile boolean blocked;
        volatile long lastNs;
    }

    private final int maxFailures;
    private final long windowNs;
    private final long blockNs;
    private final int maxSources;
    private final LongSupplier nowNs;
    private final Map<InetAddress, Entry> entries = new ConcurrentHashMap<>();
    private final AtomicLong lastSweepNs;
    private final AtomicLong blocks = new AtomicLong();
    private final AtomicLong untracked = new AtomicLong();

    /**
     * @param maxFailures failures within the window that block a source (at least 1)
     * @param windowNs    the window failures are counted in
     * @param blockNs     how long a block lasts
     * @param maxSources  the most sources tracked at once
     * @param nowNs       the clock ({@link System#nanoTime} in production)
     */
    public FailureTracker(int maxFailures, long windowNs, long blockNs, int maxSources, LongSupplier nowNs) {
        if (maxFailures < 1 || windowNs <= 0 || blockNs <= 0 || maxSources < 1) {
            throw new IllegalArgumentException("maxFailures, window, block and maxSources must be positive");
        }
        this.maxFailures = maxFailures;
        this.windowNs = windowNs;
        this.blockNs = blockNs;
        this.maxSources = maxSources;
        this.nowNs = nowNs;
        this.lastSweepNs = new AtomicLong(nowNs.getAsLong() - windowNs);
    }

    /** True while {@code source} is blocked; a block whose time has passed is lifted here. */
    public boolean isBlocked(InetAddress source) {
        Entry e = entries.get(source);
        if (e == null || !e.blocked) {
            return false;
        }
        long now = nowNs.getAsLong();
        if (e.blockedUntilNs - now > 0) {
            return true;
        }
        synchronized (e) {
            if (e.blocked && e.blockedUntilNs - now <= 0) {
                e.blocked = false;
                e.failures = 0;
                e.windowStartNs = now;
            }
        }
        return false;
    }

    /**
     * Counts one failure of {@code source}.
     *
     * @return true when this failure blocked the source (or it was blocked already)
     */
    public boolean recordFailure(InetAddress source) {
        long now = nowNs.getAsLong();
        Entry e = entries.get(source);
        if (e == null) {
            if (entries.size() >= maxSources && !sweep(now)) {
                untracked.incrementAndGet();
                return false;
            }
            Entry fresh = new Entry();
            fresh.windowStartNs = now;
            e = entries.putIfAbsent(source, fresh);
            if (e == null) {
                e = fresh;
            }
        }
        synchronized (e) {
            e.lastNs = now;
            if (e.blocked) {
                if (e.blockedUntilNs - now > 0) {
                    return true;
                }
                e.blocked = false;
                e.failures = 0;
                e.windowStartNs = now;
            }
            if (now - e.windowStartNs >= windowNs) {
                e.windowStartNs = now;
                e.failures = 0;
            }
            e.failures++;
            if (e.failures >= maxFailures) {
                e.blockedUntilNs = now + blockNs;
                e.blocked = true;
                blocks.incrementAndGet();
                return true;
            }
            return false;
        }
    }

    /** A successful authentication: forgets the source's failures (a mistyped password is forgiven). */
    public void recordSuccess(InetAddress source) {
        Entry e = entries.get(source);
        if (e != null) {
            synchronized (e) {
                if (!e.blocked) {
                    entries.remove(source, e);
                }
            }
        }
    }

    /** Removes finished entries; true when there is room afterwards. At most one sweep per window. */
    private boolean sweep(long now) {
        long last = lastSweepNs.get();
        if (now - last >= windowNs && lastSweepNs.compareAndSet(last, now)) {
            for (Iterator<Entry> it = entries.values().iterator(); it.hasNext(); ) {
                Entry e = it.next();
                boolean blockOver = !e.blocked || e.blockedUntilNs - now <= 0;
                if (blockOver && now - e.lastNs >= windowNs) {
                    it.remove();
                }
            }
        }
        return entries.size() < maxSources;
    }

    /** Sources blocked right now (a scan; for metrics and tests). */
    public int blockedSources() {
        long now = nowNs.getAsLong();
        int n = 0;
        for (Entry e : entries.values()) {
            if (e.blocked && e.blockedUntilNs - now > 0) {
                n++;
            }
        }
        return n;
    }

    /** Sources in the table. */
    public int trackedSources() {
        return entries.size();
    }

    /** Blocks imposed so far. */
    public long blocks() {
        return blocks.get();
    }

    /** Failures not tracked because the table was full. */
    public long untracked() {
        return untracked.get();
    }
}
