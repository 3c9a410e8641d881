package io.spillway.media.counter;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A fixed array of {@code long} counters with a single writer thread and any number of readers.
 * The writer reads its own values plainly and publishes with opaque stores (a plain {@code mov} on
 * x86); readers use opaque loads, so a value is never torn and never goes backwards. The array is
 * padded at both ends so two loops' arrays never share a cache line.
 */
public final class CounterArray {
    private static final VarHandle ELEMENT = MethodHandles.arrayElementVarHandle(long[].class);
    /** 64 bytes of padding each side. */
    private static final int PAD = 8;

    private final long[] values;
    private final int size;

    public CounterArray(int size) {
        this.size = size;
        this.values = new long[size + 2 * PAD];
    }

    public int size() {
        return size;
    }

    /** Adds one. Owner thread only. */
    public void increment(int index) {
        int i = index + PAD;
        ELEMENT.setOpaque(values, i, values[i] + 1);
    }

    /** Adds {@code delta}. Owner thread only. */
    public void add(int index, long delta) {
        int i = index + PAD;
        ELEMENT.setOpaque(values, i, values[i] + delta);
    }

    /** Overwrites a value (used for rates). Owner thread only. */
    public void set(int index, long value) {
        ELEMENT.setOpaque(values, index + PAD, value);
    }

    /** Reads a value; any thread. */
    public long get(int index) {
        return (long) ELEMENT.getOpaque(values, index + PAD);
    }
}
