package io.spillway.media.counter;

/**
 * The layout of one relay direction's (or a whole loop's) {@link CounterArray}: packets and bytes
 * in and out, one slot per {@link DropReason}, re-latches, and rates over the last 1 s window.
 *
 * <p>{@code PACKETS_IN} counts every datagram received, so in = out + all drops.
 */
public final class RelayCounters {
    public static final int PACKETS_IN = 0;
    public static final int BYTES_IN = 1;
    public static final int PACKETS_OUT = 2;
    public static final int BYTES_OUT = 3;
    public static final int RELATCHES = 4;
    public static final int FIRST_DROP = 5;
    public static final int FIRST_RATE = FIRST_DROP + 8;
    public static final int BYTES_IN_PER_SEC = FIRST_RATE;
    public static final int BYTES_OUT_PER_SEC = FIRST_RATE + 1;
    public static final int PACKETS_IN_PER_SEC = FIRST_RATE + 2;
    public static final int PACKETS_OUT_PER_SEC = FIRST_RATE + 3;
    /** Snapshot of the cumulative counters at the start of the current rate window. */
    static final int WINDOW_BYTES_IN = FIRST_RATE + 4;
    static final int WINDOW_BYTES_OUT = FIRST_RATE + 5;
    static final int WINDOW_PACKETS_IN = FIRST_RATE + 6;
    static final int WINDOW_PACKETS_OUT = FIRST_RATE + 7;
    public static final int SIZE = FIRST_RATE + 8;

    private RelayCounters() {
    }

    /** A new, zeroed array with this layout. */
    public static CounterArray newArray() {
        if (DropReason.all().length != FIRST_RATE - FIRST_DROP) {
            throw new IllegalStateException("drop reason slots out of date");
        }
        return new CounterArray(SIZE);
    }

    /** Records a drop. Owner thread only. */
    public static void drop(CounterArray counters, DropReason reason) {
        counters.increment(reason.counterIndex());
    }

    /**
     * Closes a rate window of {@code windowNs} and publishes per-second rates. Owner thread only.
     */
    public static void rollRates(CounterArray c, long windowNs) {
        if (windowNs <= 0) {
            return;
        }
        rollRate(c, BYTES_IN, WINDOW_BYTES_IN, BYTES_IN_PER_SEC, windowNs);
        rollRate(c, BYTES_OUT, WINDOW_BYTES_OUT, BYTES_OUT_PER_SEC, windowNs);
        rollRate(c, PACKETS_IN, WINDOW_PACKETS_IN, PACKETS_IN_PER_SEC, windowNs);
        rollRate(c, PACKETS_OUT, WINDOW_PACKETS_OUT, PACKETS_OUT_PER_SEC, windowNs);
    }

    private static void rollRate(CounterArray c, int total, int windowStart, int rate, long windowNs) {
        long now = c.get(total);
        long delta = now - c.get(windowStart);
        c.set(windowStart, now);
        c.set(rate, delta * 1_000_000_000L / windowNs);
    }
}
