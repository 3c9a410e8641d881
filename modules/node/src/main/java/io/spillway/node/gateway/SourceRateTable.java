package io.spillway.node.gateway;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import java.util.function.LongSupplier;
import org.jctools.maps.NonBlockingHashMapLong;

/**
 * Per-source request rate limits (like Kamailio's pike): a token bucket per source address, kept as a
 * generic cell rate algorithm (GCRA) state of one {@code long} (the theoretical arrival time) updated
 * by compare-and-set, so {@link #tryAcquire} is lock-free and allocates nothing for a known source.
 * A bucket holds {@code burst} requests and refills at {@code ratePerSec}.
 *
 * <p>Keys are primitive: an IPv4 source is its 32-bit address; an IPv6 source is its /64 prefix (one
 * subscriber typically owns a whole /64, so per-address buckets would be trivially evaded).
 *
 * <p>Memory is bounded by {@code maxSources}. When the table is full, buckets idle for
 * {@code idleNs} are evicted (a sweep at most every {@code idleNs / 4}); while it is still full, new
 * sources share one overflow bucket with the same rate and burst, so a flood from many spoofed
 * sources cannot grow the table nor take more than one source's share.
 */
public final class SourceRateTable {
    /** IPv4 keys live in the ff..:/32 multicast space, which is never an IPv6 unicast source /64. */
    private static final long IPV4_KEY_PREFIX = 0xffff_ffff_0000_0000L;
    private static final long OVERFLOW_KEY = 0xffff_fffe_0000_0000L;

    /** One source's bucket. */
    private static final class Bucket {
        private static final AtomicLongFieldUpdater<Bucket> TAT =
            AtomicLongFieldUpdater.newUpdater(Bucket.class, "tatNs");
        volatile long tatNs;
        volatile long lastNs;

        Bucket(long nowNs) {
            this.tatNs = nowNs;
            this.lastNs = nowNs;
        }
    }

    private final long intervalNs;
    private final long toleranceNs;
    private final int maxSources;
    private final long idleNs;
    private final LongSupplier nowNs;
    private final NonBlockingHashMapLong<Bucket> buckets;
    private final Bucket overflow;
    private final AtomicLong lastSweepNs;
    private final AtomicLong evicted = new AtomicLong();

    /**
     * @param ratePerSec sustained requests per second per source (at least 1)
     * @param burst      requests a source may send at once after being quiet (at least 1)
     * @param maxSources the most buckets kept
     * @param idleNs     a bucket unused this long may be evicted when the table is full
     * @param nowNs      the clock
     */
    public SourceRateTable(int ratePerSec, int burst, int maxSources, long idleNs, LongSupplier nowNs) {
        if (ratePerSec < 1 || burst < 1 || maxSources < 1 || idleNs <= 0) {
            throw new IllegalArgumentException("rate, burst, maxSources and idle must be positive");
        }
        this.intervalNs = 1_000_000_000L / ratePerSec;
        this.toleranceNs = intervalNs * (burst - 1L);
        this.maxSources = maxSources;
        this.idleNs = idleNs;
        this.nowNs = nowNs;
        this.buckets = new NonBlockingHashMapLong<>(Math.min(maxSources, 1 << 12));
        long now = nowNs.getAsLong();
        this.overflow = new Bucket(now);
        this.lastSweepNs = new AtomicLong(now - idleNs);
    }

    /** The table key of a source: IPv4 address or IPv6 /64. */
    public static long keyOf(InetAddress source) {
        if (source instanceof Inet4Address v4) {
            return IPV4_KEY_PREFIX | (Cidr.ipv4Bits(v4) & 0xffff_ffffL);
        }
        byte[] b = source.getAddress();
        long hi = Cidr.toLong(b, 0);
        if (hi == 0 && Cidr.toLong(b, 8) >>> 32 == 0xffffL) {
            // IPv4-mapped: the same bucket as the plain IPv4 form
            return IPV4_KEY_PREFIX | (Cidr.toLong(b, 8) & 0xffff_ffffL);
        }
        return hi;
    }

    /** Takes one token for {@code source}; false when its bucket is empty (drop the request). */
    public boolean tryAcquire(InetAddress source) {
        return tryAcquire(keyOf(source));
    }

    /** {@link #tryAcquire(InetAddress)} by precomputed key. */
    public boolean tryAcquire(long key) {
        long now = nowNs.getAsLong();
        Bucket b = buckets.get(key);
        if (b == null) {
            b = insert(key, now);
        }
        b.lastNs = now;
        return take(b, now);
    }

    /** True when {@code source} has a bucket of its own (false: it would share the overflow bucket). */
    public boolean isTracked(InetAddress source) {
        return isTracked(keyOf(source));
    }

    /** {@link #isTracked(InetAddress)} by key. */
    public boolean isTracked(long key) {
        return buckets.get(key) != null;
    }

    private Bucket insert(long key, long now) {
        if (buckets.size() >= maxSources && !sweep(now)) {
            return overflow;
        }
        Bucket fresh = new Bucket(now);
        Bucket prior = buckets.putIfAbsent(key, fresh);
        return prior == null ? fresh : prior;
    }

    private boolean take(Bucket b, long now) {
        while (true) {
            long tat = b.tatNs;
            long start = tat - now < 0 ? now : tat;
            if (start - now > toleranceNs) {
                return false;
            }
            if (Bucket.TAT.compareAndSet(b, tat, start + intervalNs)) {
                return true;
            }
        }
    }

    private boolean sweep(long now) {
        long last = lastSweepNs.get();
        if (now - last >= idleNs / 4 && lastSweepNs.compareAndSet(last, now)) {
            for (long k : buckets.keySetLong()) {
                Bucket b = buckets.get(k);
                if (b != null && now - b.lastNs >= idleNs) {
                    buckets.remove(k, b);
                    evicted.incrementAndGet();
                }
            }
        }
        return buckets.size() < maxSources;
    }

    /** Buckets in the table. */
    public int size() {
        return buckets.size();
    }

    /** Buckets evicted as idle so far. */
    public long evicted() {
        return evicted.get();
    }
}
