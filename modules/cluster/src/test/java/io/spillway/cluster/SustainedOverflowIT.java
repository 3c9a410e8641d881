package io.spillway.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Many more overflowed calls within one replay window than the replay table's initial size:
 * the table grows, nothing is dropped as overload, every call lands.
 */
@Tag("slow")
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SustainedOverflowIT {
    private static final int PLACEMENTS = 12_000;

    @Test
    void replayTableGrowsWithControlTraffic() throws Exception {
        // Liveness and chain timers far above any stall of a loaded test machine: with the default
        // 3.5 s a stall between two placements made node 2 "dead" and the next placement ALL_BUSY.
        // This test is about the replay table (default window kept), not about timeouts.
        try (TestCluster cluster = TestCluster.start(2, ThresholdConfig.ofCalls(10),
            b -> b.chainDeadlineMs(10_000).reservationTtlMs(20_000).peerDeadAfterMs(60_000))) {
            cluster.workload(1).calls.set(10);
            for (int i = 0; i < PLACEMENTS; i++) {
                final Placement.Remote remote = assertInstanceOf(Placement.Remote.class,
                    cluster.node(1).requestPlacement().get(20, TimeUnit.SECONDS), "placement " + i);
                cluster.node(2).releaseReservation(remote.token());
            }
            for (int id = 1; id <= 2; id++) {
                assertEquals(0, cluster.node(id).counters().get(ClusterCounter.DROPPED_OVERLOAD));
                assertEquals(0, cluster.node(id).counters().get(ClusterCounter.DROPPED_REPLAY));
            }
            assertEquals(PLACEMENTS, cluster.node(1).counters().get(ClusterCounter.PLACED_REMOTE));
        }
    }
}
