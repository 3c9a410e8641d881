package io.spillway.node.metrics;

import java.util.concurrent.atomic.LongAdder;

/**
 * A registry-owned counter for code that has no counter of its own (cold paths: admin requests,
 * reloads). Hot paths keep their own single-writer counters and register them as callbacks instead.
 */
public final class Counter {
    private final LongAdder adder = new LongAdder();

    Counter() {
    }

    public void increment() {
        adder.increment();
    }

    public void add(long n) {
        if (n < 0) {
            throw new IllegalArgumentException("a counter only goes up: " + n);
        }
        adder.add(n);
    }

    public long get() {
        return adder.sum();
    }
}
