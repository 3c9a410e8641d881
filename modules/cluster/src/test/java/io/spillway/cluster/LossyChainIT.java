package io.spillway.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * 20 % of all control datagrams dropped at random (seeded): every placement still gets the right
 * answer, none is lost, and no retransmission ever makes a second reservation.
 */
@Tag("slow")
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class LossyChainIT {
    private static final int NODES = 4;
    private static final int PLACEMENTS = 200;
    private static final int LIMIT = 10;

    @Test
    void everyDecisionIsCorrectUnderTwentyPercentLoss() throws Exception {
        try (TestCluster cluster = TestCluster.start(NODES, "127.0.0.1", i -> ThresholdConfig.ofCalls(LIMIT),
                (b, i) -> b.skipFullPeers(false).skipDeadPeers(false)
                    .retransmitIntervalMs(20).hopAckTimeoutMs(500).chainDeadlineMs(20_000)
                    .reservationTtlMs(120_000).replayWindowMs(60_000),
                i -> DatagramFilter.randomDrop(0.2, 1_000 + i))) {
            final Random random = new Random(7);
            int remote = 0;
            int busy = 0;
            for (int n = 0; n < PLACEMENTS; n++) {
                final boolean[] full = new boolean[NODES];
                for (int i = 0; i < NODES; i++) {
                    full[i] = random.nextInt(100) < 60;
                    cluster.workloads.get(i).calls.set(full[i] ? LIMIT : 0);
                }
                final int origin = random.nextInt(NODES);
                int expected = -1;
                for (int step = 0; step < NODES; step++) {
                    final int i = (origin + step) % NODES;
                    if (!full[i]) {
                        expected = i + 1;
                        break;
                    }
                }
                final Placement placement =
                    cluster.nodes.get(origin).requestPlacement().get(30, TimeUnit.SECONDS);
                final String context = "placement " + n + " from node " + (origin + 1);
                if (expected < 0) {
                    assertEquals(new Placement.AllBusy(NODES - 1), placement, context);
                    busy++;
                } else if (expected == origin + 1) {
                    final Placement.Local local = (Placement.Local) placement;
                    assertTrue(cluster.node(expected).releaseReservation(local.reservation().token()), context);
                } else {
                    assertTrue(placement instanceof Placement.Remote, context + ": " + placement);
                    final Placement.Remote r = (Placement.Remote) placement;
                    assertEquals(expected, r.nodeId(), context);
                    assertTrue(cluster.node(expected).releaseReservation(r.token()), context);
                    remote++;
                }
            }
            assertTrue(remote > 20 && busy > 5, "mix of outcomes: remote " + remote + ", busy " + busy);
            long retransmitted = 0;
            long duplicates = 0;
            for (final ClusterNode node : cluster.nodes) {
                retransmitted += node.counters().get(ClusterCounter.DATAGRAMS_RETRANSMITTED);
                duplicates += node.counters().get(ClusterCounter.DUPLICATES);
                assertEquals(0, node.counters().get(ClusterCounter.PLACED_TIMED_OUT));
                assertEquals(0, node.counters().get(ClusterCounter.HOPS_SKIPPED_TIMEOUT));
            }
            assertTrue(retransmitted > 50, "retransmitted " + retransmitted);
            assertTrue(duplicates > 0, "duplicates " + duplicates);
            // A duplicate CONNECT that reserved twice would leave a lease the test never released.
            for (final ClusterNode node : cluster.nodes) {
                assertEquals(0, node.reservedCalls(), "node " + node.nodeId());
            }
        }
    }
}
