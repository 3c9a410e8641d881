package io.spillway.cluster;

/** A workload that never changes: {@code calls} calls and no media traffic. See {@link WorkloadSource#ofCalls}. */
record FixedWorkload(long calls) implements WorkloadSource {
    @Override
    public long activeCalls() {
        return calls;
    }

    @Override
    public long bandwidthBytesPerSec() {
        return 0;
    }

    @Override
    public long packetsPerSec() {
        return 0;
    }
}
