package io.spillway.node.overflow;

import io.spillway.cluster.WorkloadSource;
import io.spillway.media.RelayEngine;
import io.spillway.media.WorkloadSnapshot;
import java.util.function.Supplier;

/**
 * The media relay's counters as a {@link WorkloadSource}: active calls are the relay's live sessions
 * (anchored SIP calls and ng-controlled calls alike), bandwidth and packet rate are in plus out over
 * the relay's last one-second window. Before the relay has started (or after it stopped) it reports
 * nothing.
 */
public final class RelayWorkload implements WorkloadSource {
    private static final WorkloadSnapshot IDLE = new WorkloadSnapshot(0, 0, 0, 0, 0, 0, 0);

    private final Supplier<RelayEngine> engine;

    /** @param engine the node's relay engine; may throw {@link IllegalStateException} until started */
    public RelayWorkload(Supplier<RelayEngine> engine) {
        this.engine = engine;
    }

    /** A workload of nothing, for a node without a media relay. */
    public static WorkloadSource none() {
        return WorkloadSource.ofCalls(0);
    }

    private WorkloadSnapshot snapshot() {
        try {
            return engine.get().workload();
        } catch (IllegalStateException e) {
            return IDLE;
        }
    }

    @Override
    public long activeCalls() {
        return snapshot().activeSessions();
    }

    @Override
    public long bandwidthBytesPerSec() {
        return snapshot().bandwidthBytesPerSec();
    }

    @Override
    public long packetsPerSec() {
        return snapshot().packetsPerSec();
    }
}
