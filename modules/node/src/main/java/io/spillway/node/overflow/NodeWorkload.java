package io.spillway.node.overflow;

import io.spillway.cluster.WorkloadSource;

/**
 * The node's workload as the cluster sees it: the media relay's measured calls, bandwidth and packet
 * rate, plus the calls admitted here whose relay session does not exist yet ({@link AdmissionTable}).
 * Plain reads of counters kept elsewhere; any thread.
 */
final class NodeWorkload implements WorkloadSource {
    private final WorkloadSource media;
    private final AdmissionTable admissions;

    NodeWorkload(WorkloadSource media, AdmissionTable admissions) {
        this.media = media;
        this.admissions = admissions;
    }

    @Override
    public long activeCalls() {
        // Pending first: a ticket closes after its session exists, so a call moving from one count to
        // the other is seen twice at worst, never zero times.
        long pending = admissions.pending();
        return pending + media.activeCalls();
    }

    @Override
    public long bandwidthBytesPerSec() {
        return media.bandwidthBytesPerSec();
    }

    @Override
    public long packetsPerSec() {
        return media.packetsPerSec();
    }
}
