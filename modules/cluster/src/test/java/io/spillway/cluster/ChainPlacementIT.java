package io.spillway.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Chained forwarding over real UDP on loopback: where a call lands. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ChainPlacementIT {
    private static final ThresholdConfig TEN_CALLS = ThresholdConfig.ofCalls(10);

    private static Placement place(final ClusterNode origin) throws Exception {
        return origin.requestPlacement().get(20, TimeUnit.SECONDS);
    }

    private static void fill(final TestCluster cluster, final int... ids) {
        for (final int id : ids) {
            cluster.workload(id).calls.set(10);
        }
    }

    @Test
    void freeOriginTakesTheCallItself() throws Exception {
        try (TestCluster cluster = TestCluster.start(2, TEN_CALLS, b -> { })) {
            final Placement placement = place(cluster.node(1));
            final Placement.Local local = assertInstanceOf(Placement.Local.class, placement);
            assertEquals(1, local.reservation().nodeId());
            assertEquals(1, cluster.node(1).reservedCalls());
            cluster.workload(1).calls.incrementAndGet(); // count first, then consume
            assertTrue(cluster.node(1).consumeReservation(local.reservation().token()));
            assertEquals(0, cluster.node(1).reservedCalls());
        }
    }

    @Test
    void twoNodesFirstFullLandsOnSecond() throws Exception {
        try (TestCluster cluster = TestCluster.start(2, TEN_CALLS, b -> { })) {
            fill(cluster, 1);
            final Placement.Remote remote = assertInstanceOf(Placement.Remote.class, place(cluster.node(1)));
            assertEquals(2, remote.nodeId());
            assertEquals("node-2", remote.nodeName());
            assertEquals(cluster.sequence.get(1).sipAddress(), remote.sipAddress());
            assertEquals(22, remote.token().length());
            assertEquals(1, cluster.node(2).reservedCalls());
            assertEquals(1, cluster.node(1).counters().get(ClusterCounter.PLACED_REMOTE));
            assertEquals(1, cluster.node(2).counters().get(ClusterCounter.CONNECTS_ACCEPTED));
        }
    }

    @Test
    void fourNodesFirstThreeFullLandsOnFourthThroughTheChain() throws Exception {
        // Heartbeat skipping off: the CONNECT must really travel 1 → 2 → 3 → 4.
        try (TestCluster cluster = TestCluster.start(4, TEN_CALLS, b -> b.skipFullPeers(false))) {
            fill(cluster, 1, 2, 3);
            final Placement.Remote remote = assertInstanceOf(Placement.Remote.class, place(cluster.node(1)));
            assertEquals(4, remote.nodeId());
            assertEquals(1, cluster.node(2).counters().get(ClusterCounter.CONNECTS_FORWARDED));
            assertEquals(1, cluster.node(3).counters().get(ClusterCounter.CONNECTS_FORWARDED));
            assertEquals(1, cluster.node(4).counters().get(ClusterCounter.CONNECTS_ACCEPTED));
            assertEquals(1, cluster.node(4).reservedCalls());
            assertEquals(0, cluster.node(2).reservedCalls() + cluster.node(3).reservedCalls());
        }
    }

    @Test
    void fullPeersAnnouncedByHeartbeatAreSkipped() throws Exception {
        try (TestCluster cluster = TestCluster.start(4, TEN_CALLS, b -> b.heartbeatIntervalMs(50).peerDeadAfterMs(2_000))) {
            fill(cluster, 1, 2, 3);
            assertTrue(TestCluster.await(() -> cluster.node(1).peers().stream()
                .filter(p -> p.peer().nodeId() != 4)
                .allMatch(p -> p.lastLoad() != null && p.lastLoad().full()), 10_000));
            final Placement.Remote remote = assertInstanceOf(Placement.Remote.class, place(cluster.node(1)));
            assertEquals(4, remote.nodeId());
            assertEquals(0, cluster.node(2).counters().get(ClusterCounter.CONNECTS_FORWARDED));
            assertEquals(2, cluster.node(1).counters().get(ClusterCounter.HOPS_SKIPPED_PEER_TABLE));
        }
    }

    @Test
    void allFourFullIsAllBusyFromTheLastNode() throws Exception {
        try (TestCluster cluster = TestCluster.start(4, TEN_CALLS, b -> b.skipFullPeers(false))) {
            fill(cluster, 1, 2, 3, 4);
            final Placement.AllBusy busy = assertInstanceOf(Placement.AllBusy.class, place(cluster.node(1)));
            assertEquals(3, busy.hops());
            assertEquals(1, cluster.node(4).counters().get(ClusterCounter.CONNECTS_ALL_BUSY));
            assertEquals(1, cluster.node(1).counters().get(ClusterCounter.PLACED_ALL_BUSY));
            for (int id = 1; id <= 4; id++) {
                assertEquals(0, cluster.node(id).reservedCalls());
            }
        }
    }

    @Test
    void primaryNotFirstInSequenceWrapsAround() throws Exception {
        try (TestCluster cluster = TestCluster.start(4, TEN_CALLS, b -> b.skipFullPeers(false))) {
            fill(cluster, 3, 4);
            final Placement.Remote remote = assertInstanceOf(Placement.Remote.class, place(cluster.node(3)));
            assertEquals(1, remote.nodeId());
            assertEquals(1, cluster.node(4).counters().get(ClusterCounter.CONNECTS_FORWARDED));
            assertEquals(0, cluster.node(2).counters().get(ClusterCounter.CONNECTS_ACCEPTED));
        }
    }

    @Test
    void wrappedChainEndsBeforeTheOrigin() throws Exception {
        try (TestCluster cluster = TestCluster.start(3, TEN_CALLS, b -> b.skipFullPeers(false))) {
            fill(cluster, 1, 2, 3);
            assertInstanceOf(Placement.AllBusy.class, place(cluster.node(2)));
            assertEquals(1, cluster.node(1).counters().get(ClusterCounter.CONNECTS_ALL_BUSY));
            assertEquals(0, cluster.node(2).counters().get(ClusterCounter.CONNECTS_ALL_BUSY));
        }
    }

    @Test
    void deadNextHopIsSkippedWithinTheDeadline() throws Exception {
        try (TestCluster cluster = TestCluster.start(4, TEN_CALLS,
                b -> b.skipDeadPeers(false).skipFullPeers(false).hopAckTimeoutMs(100).chainDeadlineMs(2_000))) {
            fill(cluster, 1);
            cluster.node(2).close();
            final long startNs = System.nanoTime();
            final Placement.Remote remote = assertInstanceOf(Placement.Remote.class, place(cluster.node(1)));
            final long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);
            assertEquals(3, remote.nodeId());
            assertTrue(elapsedMs < 2_000, "decided in " + elapsedMs + " ms");
            assertEquals(1, cluster.node(1).counters().get(ClusterCounter.HOPS_SKIPPED_TIMEOUT));
            assertTrue(cluster.node(1).counters().get(ClusterCounter.DATAGRAMS_RETRANSMITTED) >= 1);
        }
    }

    @Test
    void deadLastHopMeansAllBusyFromTheForwarderAfterItsDeadline() throws Exception {
        // The forwarder (node 2) keeps asking the silent last node for its own chain deadline
        // (400 ms), then answers ALL_BUSY well inside the origin's (5 s).
        try (TestCluster cluster = TestCluster.start(3, "127.0.0.1", i -> TEN_CALLS,
                (b, i) -> b.skipDeadPeers(false).skipFullPeers(false).chainDeadlineMs(i == 1 ? 400 : 5_000),
                i -> null)) {
            fill(cluster, 1, 2);
            cluster.node(3).close();
            assertInstanceOf(Placement.AllBusy.class, place(cluster.node(1)));
            assertEquals(1, cluster.node(2).counters().get(ClusterCounter.HOPS_SKIPPED_TIMEOUT));
            assertEquals(1, cluster.node(2).counters().get(ClusterCounter.CONNECTS_ALL_BUSY));
        }
    }

    @Test
    void slowLastNodeIsNotSkippedIntoAllBusy() throws Exception {
        // Node 3 says nothing (no ACK, no ACCEPT) for its first 400 ms, far past the 100 ms hop
        // timeout; as the last candidate it is waited for, and the call lands there.
        final long quietUntilNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        final long[] mutedUntil = {quietUntilNs};
        try (TestCluster cluster = TestCluster.start(3, "127.0.0.1", i -> TEN_CALLS,
                (b, i) -> b.skipDeadPeers(false).skipFullPeers(false).hopAckTimeoutMs(100).chainDeadlineMs(5_000),
                i -> i == 2 ? (type, dest) -> System.nanoTime() - mutedUntil[0] < 0 : null)) {
            fill(cluster, 1, 2);
            mutedUntil[0] = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(400);
            final Placement.Remote remote = assertInstanceOf(Placement.Remote.class, place(cluster.node(1)));
            assertEquals(3, remote.nodeId());
            assertEquals(0, cluster.node(2).counters().get(ClusterCounter.HOPS_SKIPPED_TIMEOUT));
            assertEquals(1, cluster.node(3).counters().get(ClusterCounter.CONNECTS_ACCEPTED));
        }
    }

    @Test
    void deadPeerMarkedByMissingHeartbeatsIsSkippedWithoutWaiting() throws Exception {
        try (TestCluster cluster = TestCluster.start(3, TEN_CALLS,
                b -> b.heartbeatIntervalMs(50).peerDeadAfterMs(300).hopAckTimeoutMs(500).chainDeadlineMs(5_000))) {
            fill(cluster, 1);
            cluster.node(2).close();
            assertTrue(TestCluster.await(() -> cluster.node(1).peers().stream()
                .anyMatch(p -> p.peer().nodeId() == 2 && !p.alive()), 10_000));
            assertTrue(cluster.node(1).peers().stream().anyMatch(p -> p.peer().nodeId() == 3 && p.alive()));
            final Placement.Remote remote = assertInstanceOf(Placement.Remote.class, place(cluster.node(1)));
            assertEquals(3, remote.nodeId());
            assertEquals(0, cluster.node(1).counters().get(ClusterCounter.HOPS_SKIPPED_TIMEOUT));
            assertEquals(1, cluster.node(1).counters().get(ClusterCounter.HOPS_SKIPPED_PEER_TABLE));
        }
    }

    @Test
    void drainingNodeReportsFullAndTakesNoCall() throws Exception {
        // Fast heartbeats so the drain shows in the peer's table quickly; liveness and chain timers
        // far above any stall of a loaded test machine (a node only 2 s unheard was "dead", a last
        // hop only 1 s unanswered ended the chain): this test is about draining, not timeouts.
        try (TestCluster cluster = TestCluster.start(2, TEN_CALLS, b -> b.heartbeatIntervalMs(50)
            .peerDeadAfterMs(30_000).chainDeadlineMs(10_000).reservationTtlMs(20_000))) {
            cluster.node(1).setDraining(true);
            assertTrue(cluster.node(1).isFull());
            assertEquals(2, assertInstanceOf(Placement.Remote.class, place(cluster.node(1))).nodeId());
            assertTrue(TestCluster.await(() -> {
                final LoadReport load = cluster.node(2).peers().get(0).lastLoad();
                return load != null && load.draining() && load.full();
            }, 10_000));
            cluster.node(1).setDraining(false);
            assertFalse(cluster.node(1).isFull());
        }
    }

    @Test
    void worksOverIpv6() throws Exception {
        try (TestCluster cluster = TestCluster.start(2, "::1", i -> TEN_CALLS, (b, i) -> { }, i -> null)) {
            fill(cluster, 1);
            final Placement.Remote remote = assertInstanceOf(Placement.Remote.class, place(cluster.node(1)));
            assertEquals(2, remote.nodeId());
            assertEquals(cluster.sequence.get(1).sipAddress(), remote.sipAddress());
        }
    }
}
