package io.spillway.node.cluster;

import io.spillway.cluster.WorkloadSource;
import java.util.concurrent.atomic.AtomicLong;

/** A media workload set by the test: stands in for a relay already carrying calls. */
final class FakeMedia implements WorkloadSource {
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
