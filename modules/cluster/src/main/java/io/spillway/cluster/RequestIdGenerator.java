package io.spillway.cluster;

import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Request ids: the origin's node id in the top 16 bits, a counter in the low 48 that starts at a
 * random value, so ids are unique in the cluster and a restarted node does not reuse the ids its
 * peers still remember from before the restart. Thread-safe.
 */
final class RequestIdGenerator {
    private static final long COUNTER_MASK = 0x0000_FFFF_FFFF_FFFFL;
    private final long prefix;
    private final AtomicLong counter;

    RequestIdGenerator(final int nodeId) {
        this.prefix = (long) nodeId << 48;
        this.counter = new AtomicLong(new SecureRandom().nextLong() & (COUNTER_MASK >>> 1));
    }

    long next() {
        return prefix | (counter.incrementAndGet() & COUNTER_MASK);
    }
}
