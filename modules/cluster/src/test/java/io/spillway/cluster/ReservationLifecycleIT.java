package io.spillway.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Reservations across nodes: consume, release, expiry, and the origin giving back late accepts. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReservationLifecycleIT {
    private static final ThresholdConfig TEN_CALLS = ThresholdConfig.ofCalls(10);

    @Test
    void remoteReservationIsConsumedOnceAndReleasable() throws Exception {
        try (TestCluster cluster = TestCluster.start(2, TEN_CALLS, b -> { })) {
            cluster.workload(1).calls.set(10);
            final Placement.Remote first = assertInstanceOf(Placement.Remote.class,
                cluster.node(1).requestPlacement().get(10, TimeUnit.SECONDS));
            final Placement.Remote second = assertInstanceOf(Placement.Remote.class,
                cluster.node(1).requestPlacement().get(10, TimeUnit.SECONDS));
            assertEquals(2, cluster.node(2).reservedCalls());
            assertFalse(cluster.node(1).consumeReservation(first.token()), "token belongs to node 2");

            cluster.workload(2).calls.incrementAndGet();
            assertTrue(cluster.node(2).consumeReservation(first.token()));
            assertFalse(cluster.node(2).consumeReservation(first.token()));
            assertEquals(1, cluster.node(2).counters().get(ClusterCounter.RESERVATIONS_CONSUMED));

            assertTrue(cluster.node(2).releaseReservation(second.token()));
            assertFalse(cluster.node(2).consumeReservation(second.token()));
            assertEquals(0, cluster.node(2).reservedCalls());
        }
    }

    @Test
    void unconsumedReservationExpiresAfterTtl() throws Exception {
        try (TestCluster cluster = TestCluster.start(1, TEN_CALLS,
                b -> b.hopAckTimeoutMs(50).retransmitIntervalMs(10).chainDeadlineMs(100).reservationTtlMs(300))) {
            final Placement.Local local = assertInstanceOf(Placement.Local.class,
                cluster.node(1).requestPlacement().get(10, TimeUnit.SECONDS));
            assertEquals(1, cluster.node(1).reservedCalls());
            assertTrue(TestCluster.await(() -> cluster.node(1).reservedCalls() == 0, 10_000));
            assertEquals(1, cluster.node(1).counters().get(ClusterCounter.RESERVATIONS_EXPIRED));
            assertFalse(cluster.node(1).consumeReservation(local.reservation().token()));
        }
    }

    @Test
    void singleNodeClusterThatIsFullIsAllBusy() throws Exception {
        try (TestCluster cluster = TestCluster.start(1, TEN_CALLS, b -> { })) {
            cluster.workload(1).calls.set(10);
            assertInstanceOf(Placement.AllBusy.class, cluster.node(1).requestPlacement().get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void acceptArrivingAfterTheDeadlineIsReleasedAtOnce() throws Exception {
        final AtomicBoolean blockAccept = new AtomicBoolean(true);
        try (TestCluster cluster = TestCluster.start(2, "127.0.0.1", i -> TEN_CALLS,
                (b, i) -> {
                    if (i == 0) {
                        b.hopAckTimeoutMs(100).retransmitIntervalMs(20).chainDeadlineMs(300);
                    } else {
                        b.chainDeadlineMs(20_000).reservationTtlMs(60_000).replayWindowMs(60_000);
                    }
                },
                i -> i == 1 ? (type, dest) -> type == io.spillway.cluster.protocol.MessageType.ACCEPT && blockAccept.get()
                            : null)) {
            cluster.workload(1).calls.set(10);
            assertInstanceOf(Placement.TimedOut.class, cluster.node(1).requestPlacement().get(10, TimeUnit.SECONDS));
            assertEquals(1, cluster.node(2).reservedCalls());
            blockAccept.set(false);
            assertTrue(TestCluster.await(() -> cluster.node(2).reservedCalls() == 0, 10_000));
            assertEquals(1, cluster.node(1).counters().get(ClusterCounter.PLACED_TIMED_OUT));
            assertEquals(1, cluster.node(1).counters().get(ClusterCounter.RELEASES_SENT));
            assertEquals(1, cluster.node(2).counters().get(ClusterCounter.RESERVATIONS_RELEASED));
            assertEquals(0, cluster.node(2).counters().get(ClusterCounter.RESERVATIONS_EXPIRED));
        }
    }

    @Test
    void acceptNeverAcknowledgedGivesTheReservationBack() throws Exception {
        try (TestCluster cluster = TestCluster.start(2, "127.0.0.1", i -> TEN_CALLS,
                (b, i) -> b.hopAckTimeoutMs(100).retransmitIntervalMs(20).chainDeadlineMs(400),
                i -> i == 1 ? (type, dest) -> type == io.spillway.cluster.protocol.MessageType.ACCEPT : null)) {
            cluster.workload(1).calls.set(10);
            assertInstanceOf(Placement.TimedOut.class, cluster.node(1).requestPlacement().get(10, TimeUnit.SECONDS));
            assertTrue(TestCluster.await(() -> cluster.node(2).reservedCalls() == 0, 10_000));
            assertEquals(1, cluster.node(2).counters().get(ClusterCounter.RESERVATIONS_RELEASED));
        }
    }

    @Test
    void stoppedNodeRefusesPlacements() {
        final TestCluster cluster = TestCluster.start(1, TEN_CALLS, b -> { });
        cluster.close();
        assertTrue(cluster.node(1).requestPlacement().isCompletedExceptionally());
    }
}
