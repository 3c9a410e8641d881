package io.spillway.cluster;

import java.util.concurrent.atomic.AtomicLong;

/** A workload the test sets by hand. */
final class FakeWorkload implements WorkloadSource {
    final AtomicLong calls = new AtomicLong();
    final AtomicLong bandwidth = new AtomicLong();
    final AtomicLong pps = new AtomicLong();

    @Override
    public long activeCalls() {
        return calls.get();
    }

    @Override
    public long bandwidthBytesPerSec() {
        return bandwidth.get();
    }

    @Override
    public long packetsPerSec() {
        return pps.get();
    }
}
