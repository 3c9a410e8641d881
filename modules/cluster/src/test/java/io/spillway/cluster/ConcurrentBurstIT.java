package io.spillway.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * 500 concurrent placements into four nodes of 75 calls each: exactly 300 are placed, no node goes
 * past its threshold, the other 200 are all busy.
 */
@Tag("slow")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ConcurrentBurstIT {
    private static final int NODES = 4;
    private static final int PER_NODE = 75;
    private static final int REQUESTS = 500;
    private static final int THREADS = 10;

    @Test
    void burstNeverOverAdmits() throws Exception {
        burst(true);
    }

    @Test
    void burstNeverOverAdmitsWithoutHeartbeatSkipping() throws Exception {
        burst(false);
    }

    private static void burst(final boolean skipFull) throws Exception {
        try (TestCluster cluster = TestCluster.start(NODES, "127.0.0.1", i -> ThresholdConfig.ofCalls(PER_NODE),
                (b, i) -> b.skipFullPeers(skipFull).heartbeatIntervalMs(20).peerDeadAfterMs(10_000)
                    .chainDeadlineMs(30_000).reservationTtlMs(120_000).replayWindowMs(60_000),
                i -> null)) {
            final List<List<CompletableFuture<Placement>>> perThread = new ArrayList<>();
            final List<Thread> threads = new ArrayList<>();
            final CountDownLatch start = new CountDownLatch(1);
            for (int t = 0; t < THREADS; t++) {
                final int offset = t;
                final List<CompletableFuture<Placement>> mine = new ArrayList<>();
                perThread.add(mine);
                final Thread thread = new Thread(() -> {
                    try {
                        start.await();
                    } catch (final InterruptedException e) {
                        return;
                    }
                    for (int n = offset; n < REQUESTS; n += THREADS) {
                        mine.add(cluster.nodes.get(n % NODES).requestPlacement());
                    }
                }, "burst-" + t);
                threads.add(thread);
                thread.start();
            }
            start.countDown();
            for (final Thread thread : threads) {
                thread.join(30_000); // join gives the happens-before edge for reading `mine`
                assertFalse(thread.isAlive());
            }
            int placed = 0;
            int busy = 0;
            final int[] perNode = new int[NODES + 1];
            for (final List<CompletableFuture<Placement>> mine : perThread) {
                for (final CompletableFuture<Placement> future : mine) {
                    final Placement placement = future.get(60, TimeUnit.SECONDS);
                    if (placement instanceof Placement.Local local) {
                        placed++;
                        perNode[local.reservation().nodeId()]++;
                    } else if (placement instanceof Placement.Remote remote) {
                        placed++;
                        perNode[remote.nodeId()]++;
                    } else if (placement instanceof Placement.AllBusy) {
                        busy++;
                    } else {
                        throw new AssertionError("unexpected " + placement);
                    }
                }
            }
            assertEquals(NODES * PER_NODE, placed);
            assertEquals(REQUESTS - NODES * PER_NODE, busy);
            for (int id = 1; id <= NODES; id++) {
                assertEquals(PER_NODE, perNode[id], "placements on node " + id);
                assertEquals(PER_NODE, cluster.node(id).reservedCalls(), "reservations on node " + id);
                assertTrue(cluster.node(id).isFull());
            }
        }
    }
}
