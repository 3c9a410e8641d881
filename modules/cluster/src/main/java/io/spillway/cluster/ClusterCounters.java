package io.spillway.cluster;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The counters of one {@link ClusterNode}. Written mostly by the control loop, some by callers of
 * the API; read by anyone (metrics). Monotonic.
 */
public final class ClusterCounters {
    private static final ClusterCounter[] ALL = ClusterCounter.values();
    private final AtomicLongArray values = new AtomicLongArray(ALL.length);

    void increment(final ClusterCounter counter) {
        values.incrementAndGet(counter.ordinal());
    }

    void add(final ClusterCounter counter, final long delta) {
        values.addAndGet(counter.ordinal(), delta);
    }

    /** @return the current value */
    public long get(final ClusterCounter counter) {
        return values.get(counter.ordinal());
    }

    /** @return every counter's current value */
    public Map<ClusterCounter, Long> snapshot() {
        final Map<ClusterCounter, Long> snapshot = new EnumMap<>(ClusterCounter.class);
        for (final ClusterCounter counter : ALL) {
            snapshot.put(counter, values.get(counter.ordinal()));
        }
        return snapshot;
    }
}
