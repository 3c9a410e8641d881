package io.spillway.media.relay;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Optional per-packet processing time (read to write) for benchmarks. Off unless the JVM starts
 * with {@code -Dspillway.media.latency=true}; the switch is a static final, so when off the JIT
 * removes the timing code from the hot path.
 */
public final class RelayLatency {
    /** Whether the handler records latency. */
    public static final boolean ENABLED = Boolean.getBoolean("spillway.media.latency");
    /** One hour in ns: a fixed bound, so recording never resizes. */
    private static final long HIGHEST_TRACKABLE_NS = 3_600_000_000_000L;
    private static final Recorder RECORDER = new Recorder(1, HIGHEST_TRACKABLE_NS, 3);

    private RelayLatency() {
    }

    static void record(long startNs) {
        long elapsed = System.nanoTime() - startNs;
        RECORDER.recordValue(Math.min(Math.max(elapsed, 1), HIGHEST_TRACKABLE_NS));
    }

    /** The interval histogram since the last call, recycling {@code previous} (may be null). */
    public static Histogram intervalHistogram(Histogram previous) {
        return RECORDER.getIntervalHistogram(previous);
    }
}
