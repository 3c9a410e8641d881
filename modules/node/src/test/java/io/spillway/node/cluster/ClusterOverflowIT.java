package io.spillway.node.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spillway.cluster.ClusterCounter;
import io.spillway.node.cluster.LocalCluster.Member;
import io.spillway.node.overflow.OverflowDecision;
import io.spillway.node.overflow.OverflowOutcome;
import io.spillway.node.overflow.OverflowPolicy;
import io.spillway.node.overflow.ReservationUris;
import io.spillway.node.testsupport.AdminClient;
import io.spillway.node.testsupport.Promtool;
import io.spillway.sip.SipResponse;
import io.spillway.sip.SipParser;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several nodes in one JVM, each a SpillwayNode with its cluster component, talking the control
 * protocol over loopback UDP; the overflow decision asked as the SIP proxy asks it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClusterOverflowIT {
    private static final long DECISION_TIMEOUT_S = 10;

    @TempDir
    Path dir;

    private static OverflowDecision decide(Member m, String requestUri, String callId) throws Exception {
        return m.cluster().policy().decide(Invites.parse(requestUri, callId)).get(DECISION_TIMEOUT_S, TimeUnit.SECONDS);
    }

    private static String uriAt(Member m) {
        return "sip:bob@" + m.sipHostPort();
    }

    @Test
    void aFullNodeRedirectsToTheNextWhichAdmitsTheTokenOnce() throws Exception {
        try (LocalCluster c = new LocalCluster(dir, new long[] {1, 1}, LocalCluster.FAST)) {
            Member a = c.member(0);
            Member b = c.member(1);
            a.media().calls.set(1);
            OverflowDecision d = decide(a, "sip:+4420794600@" + a.sipHostPort() + ";user=phone", "call-1");
            OverflowDecision.Redirect r = assertInstanceOf(OverflowDecision.Redirect.class, d);
            assertEquals("n2", r.nodeId());
            String token = ReservationUris.token(r.contactUri());
            assertTrue(r.contactUri().startsWith("sip:+4420794600@" + b.sipHostPort() + ";user=phone;spw-token="),
                r.contactUri());
            assertEquals(1, b.cluster().clusterNode().reservedCalls(), "B holds the slot for the call");

            SipResponse moved = SipParser.parseResponse(OverflowPolicy
                .response(Invites.parse(uriAt(a), "call-1"), d).toTag("srv").toBytes());
            assertEquals(302, moved.statusCode());
            assertEquals(r.contactUri(), moved.contacts().get(0).uri().toString());

            OverflowDecision atB = decide(b, r.contactUri(), "call-1");
            OverflowDecision.Admit admit = assertInstanceOf(OverflowDecision.Admit.class, atB);
            assertEquals(OverflowOutcome.TOKEN, admit.outcome());
            assertEquals("sip:+4420794600@" + b.sipHostPort() + ";user=phone", admit.requestUri());
            assertEquals(0, b.cluster().clusterNode().reservedCalls(), "the reservation became a call");
            assertEquals(1, b.cluster().admissions().pending(), "counted until its relay session exists");
            assertTrue(b.cluster().overThreshold());

            // The same token again (a replayed redirect) is no longer good: a fresh call, and all are full.
            OverflowDecision again = decide(b, r.contactUri(), "call-2");
            OverflowDecision.Reject busy = assertInstanceOf(OverflowDecision.Reject.class, again);
            assertEquals(OverflowOutcome.ALL_BUSY, busy.outcome());
            assertEquals(1, b.cluster().policy().tokensRejected());

            // The call gets its relay session: the ticket closes, the relay counts it instead.
            b.media().calls.incrementAndGet();
            admit.ticket().close();
            assertEquals(0, b.cluster().admissions().pending());
            assertTrue(b.cluster().overThreshold());
        }
    }

    @Test
    void theFirstNodeBelowThresholdTakesItFourNodesFirstThreeFull() throws Exception {
        try (LocalCluster c = new LocalCluster(dir, new long[] {5, 5, 5, 5}, LocalCluster.FAST)) {
            for (int i = 0; i < 3; i++) {
                c.member(i).media().calls.set(5);
            }
            OverflowDecision d = decide(c.member(0), uriAt(c.member(0)), "call-4");
            OverflowDecision.Redirect r = assertInstanceOf(OverflowDecision.Redirect.class, d);
            assertEquals("n4", r.nodeId());
            assertTrue(r.contactUri().startsWith("sip:bob@" + c.member(3).sipHostPort() + ";spw-token="), r.contactUri());
            assertEquals(1, c.member(3).cluster().clusterNode().reservedCalls());
            assertEquals(1, c.member(0).cluster().policy().count(OverflowOutcome.REDIRECTED));

            // A node with room takes its own call.
            OverflowDecision local = decide(c.member(3), uriAt(c.member(3)), "call-5");
            OverflowDecision.Admit admit = assertInstanceOf(OverflowDecision.Admit.class, local);
            assertEquals(OverflowOutcome.LOCAL, admit.outcome());
            assertEquals(uriAt(c.member(3)), admit.requestUri());
        }
    }

    @Test
    void allFourFullIsA503WithTheConfiguredRetryAfter() throws Exception {
        try (LocalCluster c = new LocalCluster(dir, new long[] {2, 2, 2, 2}, LocalCluster.FAST,
            (i, cl) -> java.util.List.of(), "cluster.retry_after=7s")) {
            for (int i = 0; i < 4; i++) {
                c.member(i).media().calls.set(2);
            }
            c.awaitMesh(10_000);
            OverflowDecision d = decide(c.member(0), uriAt(c.member(0)), "busy-1");
            OverflowDecision.Reject r = assertInstanceOf(OverflowDecision.Reject.class, d);
            assertEquals(OverflowOutcome.ALL_BUSY, r.outcome());
            SipResponse busy = SipParser.parseResponse(OverflowPolicy
                .response(Invites.parse(uriAt(c.member(0)), "busy-1"), d).toTag("srv").toBytes());
            assertEquals(503, busy.statusCode());
            assertEquals(7, busy.retryAfter());
            for (int i = 0; i < 4; i++) {
                assertEquals(0, c.member(i).cluster().clusterNode().reservedCalls(), "nothing reserved on n" + (i + 1));
            }
        }
    }

    @Test
    void aStoppedNextHopIsSkippedAndTheCallLandsOnTheOneAfter() throws Exception {
        try (LocalCluster c = new LocalCluster(dir, new long[] {1, 1, 1}, LocalCluster.FAST)) {
            c.awaitMesh(10_000);
            c.member(0).media().calls.set(1);
            c.member(1).node().stop();
            OverflowDecision d = decide(c.member(0), uriAt(c.member(0)), "skip-1");
            // A Redirect (not TimedOut) means the chain answered within its deadline despite the dead hop.
            OverflowDecision.Redirect r = assertInstanceOf(OverflowDecision.Redirect.class, d);
            assertEquals("n3", r.nodeId());
            long skipped = c.member(0).cluster().clusterNode().counters().get(ClusterCounter.HOPS_SKIPPED_TIMEOUT)
                + c.member(0).cluster().clusterNode().counters().get(ClusterCounter.HOPS_SKIPPED_PEER_TABLE);
            assertTrue(skipped >= 1, "n2 was skipped");
        }
    }

    @Test
    void aReservationNotFollowedByAnInviteExpires() throws Exception {
        try (LocalCluster c = new LocalCluster(dir, new long[] {1, 1},
            b -> LocalCluster.FAST.apply(b).reservationTtlMs(1_500))) {
            Member a = c.member(0);
            Member b = c.member(1);
            a.media().calls.set(1);
            OverflowDecision.Redirect r = assertInstanceOf(OverflowDecision.Redirect.class,
                decide(a, uriAt(a), "lost-1"));
            assertEquals(1, b.cluster().clusterNode().reservedCalls());
            assertTrue(b.cluster().overThreshold(), "the reservation fills B (max_calls 1)");
            long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (b.cluster().clusterNode().reservedCalls() != 0 && deadlineNs - System.nanoTime() > 0) {
                Thread.sleep(20);
            }
            assertEquals(0, b.cluster().clusterNode().reservedCalls(), "the lease expired");
            assertEquals(1, b.cluster().clusterNode().counters().get(ClusterCounter.RESERVATIONS_EXPIRED));
            assertFalse(b.cluster().overThreshold());
            // The client that comes back late is placed afresh, here at B which has room again.
            OverflowDecision late = decide(b, r.contactUri(), "lost-1");
            OverflowDecision.Admit admit = assertInstanceOf(OverflowDecision.Admit.class, late);
            assertEquals(OverflowOutcome.LOCAL, admit.outcome());
            assertEquals(uriAt(b), admit.requestUri());
            assertEquals(1, b.cluster().policy().tokensRejected());
        }
    }

    @Test
    void aBandwidthLimitHoldsEachAdmittedCallsExpectedBandwidthUntilItIsMeasured() throws Exception {
        try (LocalCluster c = new LocalCluster(dir, new long[] {0, 0}, LocalCluster.FAST, (i, cl) -> java.util.List.of(),
            "cluster.thresholds.max_bandwidth_bytes_per_sec=100000",
            "cluster.thresholds.call_bandwidth_bytes_per_sec=40000")) {
            Member a = c.member(0);
            OverflowDecision.Admit first = assertInstanceOf(OverflowDecision.Admit.class, decide(a, uriAt(a), "bw-1"));
            assertInstanceOf(OverflowDecision.Admit.class, decide(a, uriAt(a), "bw-2"));
            assertEquals(2, a.cluster().admissions().pending(), "two admitted calls hold 80 kB/s of the 100 kB/s");
            OverflowDecision.Redirect third = assertInstanceOf(OverflowDecision.Redirect.class,
                decide(a, uriAt(a), "bw-3"));
            assertEquals("n2", third.nodeId(), "a third 40 kB/s call does not fit on A");
            // The first call's relay now measures its media: the ticket closes, the measured rate holds it.
            a.media().bandwidth.set(40_000);
            first.ticket().close();
            assertInstanceOf(OverflowDecision.Redirect.class, decide(a, uriAt(a), "bw-4"),
                "40k measured + 40k pending + 40k new > 100k");
            a.media().bandwidth.set(10_000);
            assertInstanceOf(OverflowDecision.Admit.class, decide(a, uriAt(a), "bw-5"), "10k + 40k + 40k fits");
        }
    }

    @Test
    void drainingReportsFullToPeersAndSendsNewCallsOn() throws Exception {
        try (LocalCluster c = new LocalCluster(dir, new long[] {10, 10}, LocalCluster.FAST)) {
            Member a = c.member(0);
            Member b = c.member(1);
            assertTrue(a.node().drain());
            long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!a.cluster().overThreshold() && deadlineNs - System.nanoTime() > 0) {
                Thread.sleep(10);
            }
            assertTrue(a.cluster().overThreshold(), "a draining node is full");
            OverflowDecision.Redirect r = assertInstanceOf(OverflowDecision.Redirect.class,
                decide(a, uriAt(a), "drain-1"));
            assertEquals("n2", r.nodeId());
            AdminClient adminB = new AdminClient("127.0.0.1", b.node().adminAddress().getPort());
            HttpResponse<String> view = adminB.await("/cluster",
                resp -> resp.body().contains("\"draining\":true"), Duration.ofSeconds(10));
            assertTrue(view.body().contains("\"id\":\"n1\""), view.body());
        }
    }

    @Test
    void sighupThresholdsApplyToTheNextCall() throws Exception {
        try (LocalCluster c = new LocalCluster(dir, new long[] {1}, LocalCluster.FAST)) {
            Member a = c.member(0);
            a.media().calls.set(1);
            assertTrue(a.cluster().overThreshold());
            assertInstanceOf(OverflowDecision.Reject.class, decide(a, uriAt(a), "hup-1"), "alone and full");
            LocalCluster.writeThresholds(a.configFile(), 3);
            assertTrue(a.node().reload());
            assertFalse(a.cluster().overThreshold());
            OverflowDecision.Admit admit = assertInstanceOf(OverflowDecision.Admit.class, decide(a, uriAt(a), "hup-2"));
            admit.ticket().close();
            AdminClient admin = new AdminClient("127.0.0.1", a.node().adminAddress().getPort());
            assertTrue(admin.get("/cluster").body().contains("\"max_calls\":3"));
        }
    }

    @Test
    void metricsAndClusterViewDescribeTheChain() throws Exception {
        try (LocalCluster c = new LocalCluster(dir, new long[] {1, 4}, LocalCluster.FAST)) {
            Member a = c.member(0);
            a.media().calls.set(1);
            c.awaitMesh(10_000);
            assertInstanceOf(OverflowDecision.Redirect.class, decide(a, uriAt(a), "m-1"));
            AdminClient admin = new AdminClient("127.0.0.1", a.node().adminAddress().getPort());
            String metrics = admin.get("/metrics").body();
            Promtool.Result lint = Promtool.checkMetrics(metrics);
            assertEquals(0, lint.exitCode(), lint.output() + "\n" + metrics);
            assertTrue(metrics.contains("spillway_overflow_decisions_total{outcome=\"redirected\"} 1"), metrics);
            assertTrue(metrics.contains("spillway_cluster_placements_total{outcome=\"remote\"} 1"), metrics);
            assertTrue(metrics.contains("spillway_cluster_peer_up{peer=\"n2\"} 1"), metrics);
            assertTrue(metrics.contains("spillway_cluster_full 1"), metrics);
            assertTrue(metrics.contains("spillway_cluster_datagrams_rejected_total{reason=\"bad_mac\"} 0"), metrics);
            assertTrue(metrics.contains("spillway_cluster_decision_latency_seconds_count 1"), metrics);
            String metricsB = new AdminClient("127.0.0.1", c.member(1).node().adminAddress().getPort())
                .get("/metrics").body();
            assertTrue(metricsB.contains("spillway_cluster_connects_total{action=\"accepted\"} 1"), metricsB);
            assertTrue(metricsB.contains("spillway_cluster_reservations 1"), metricsB);

            String view = admin.get("/cluster").body();
            assertTrue(view.contains("\"node_id\":\"n1\"") && view.contains("\"full\":true")
                && view.contains("\"state\":\"self\"") && view.contains("\"state\":\"alive\"")
                && view.contains("\"active_calls\":1"), view);
        }
    }
}
