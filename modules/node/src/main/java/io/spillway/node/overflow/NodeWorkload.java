package io.spillway.node.overflow;

import io.spillway.cluster.CallDemand;
import io.spillway.cluster.WorkloadSource;
import java.util.function.Supplier;

/**
 * The node's workload as the cluster sees it: the media relay's measured calls, bandwidth and packet
 * rate, plus the calls admitted here whose relay session does not exist yet ({@link AdmissionTable}),
 * each with the configured per-call bandwidth and packet rate. Plain reads of counters kept
 * elsewhere; any thread.
 *
 * <p>Not covered: a call whose session exists but whose media the relay's one-second window has not
 * measured yet counts as a call, not yet as bandwidth.
 */
final class NodeWorkload implements WorkloadSource {
    private final WorkloadSource media;
    private final AdmissionTable admissions;
    private final Supplier<CallDemand> perCall;

    NodeWorkload(WorkloadSource media, AdmissionTable admissions, Supplier<CallDemand> perCall) {
        this.media = media;
        this.admissions = admissions;
        this.perCall = perCall;
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
        return media.bandwidthBytesPerSec() + admissions.pending() * perCall.get().bandwidthBytesPerSec();
    }

    @Override
    public long packetsPerSec() {
        return media.packetsPerSec() + admissions.pending() * perCall.get().packetsPerSec();
    }
}
