package io.spillway.node.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spillway.node.testsupport.AdminClient;
import io.spillway.node.testsupport.FreePorts;
import io.spillway.node.testsupport.NodeProcess;
import io.spillway.node.testsupport.SipUdpClient;
import io.spillway.node.testsupport.Sipp;
import io.spillway.sip.SipMessage;
import io.spillway.sip.SipResponse;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue #6: SIGTERM to the real daemon process while a call with media is up. The node must drain —
 * {@code /health} 503, new INVITEs refused with 503 and {@code Retry-After}, the active call's media
 * still relayed — and exit 0 as soon as the caller's BYE ends the last call, long before
 * {@code lifecycle.drain_timeout}.
 */
@Tag("slow")
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class DrainDuringCallProcessIT {
    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration CALL = Duration.ofSeconds(90);
    private static final Duration SIPP_TIMEOUT = Duration.ofSeconds(60);
    /** The drain timeout the node runs with; the call ends far sooner. */
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(60);
    private static final String PACKETS_IN = "spillway_relay_packets_total{direction=\"in\"} ";

    private final int[] ports = E2eNode.distinctPorts(5);
    private final int nodePort = ports[0];
    private final int uasPort = ports[1];
    private final int uasMedia = ports[2];
    private final int uacPort = ports[3];
    private final int uacMedia = ports[4];

    @Test
    void sigtermDuringACallDrainsKeepsMediaFlowingAndExitsZeroAfterTheBye() throws Exception {
        int adminPort = FreePorts.tcpAndUdp();
        int portMin = E2eNode.relayPortMin();
        List<String> args = new ArrayList<>(List.of("run"));
        for (String set : List.of("sip.listen=127.0.0.1", "sip.udp_port=" + nodePort, "sip.tcp_port=" + nodePort,
                "admin.listen=127.0.0.1:" + adminPort, "cluster.control_listen=127.0.0.1:" + FreePorts.tcpAndUdp(),
                "ng.listen=127.0.0.1:" + FreePorts.tcpAndUdp(), "media.bind=127.0.0.1",
                "media.port_min=" + portMin, "media.port_max=" + (portMin + 399), "media.event_loops=1",
                "lifecycle.watchdog=false", "lifecycle.drain_timeout=" + DRAIN_TIMEOUT.toSeconds() + "s",
                "routes.0.prefix=bob", "routes.0.uri=sip:bob@127.0.0.1:" + uasPort)) {
            args.add("--set");
            args.add(set);
        }
        AdminClient admin = new AdminClient("127.0.0.1", adminPort);
        try (NodeProcess node = NodeProcess.start(args, Map.of());
             Sipp uas = Sipp.uas("media-uas.xml", "127.0.0.1", uasPort, 1).timeout(SIPP_TIMEOUT)
                 .with("-mp", Integer.toString(uasMedia), "-mi", "127.0.0.1", "-trace_msg").start()) {
            admin.await("/health", r -> r.statusCode() == 200, START);
            Thread.sleep(200); // let the callee bind before the INVITE reaches it
            try (Sipp uac = Sipp.uac("drain-media-uac.xml", "127.0.0.1", uacPort,
                    new InetSocketAddress("127.0.0.1", nodePort), 1).timeout(SIPP_TIMEOUT)
                .with("-s", "bob", "-mp", Integer.toString(uacMedia), "-mi", "127.0.0.1", "-d", "1000", "-r", "10",
                    "-l", "1", "-trace_msg").start()) {
                admin.await("/metrics", r -> packetsIn(r.body()) >= 20, Duration.ofSeconds(30));

                long sigtermNs = System.nanoTime();
                node.terminate();
                admin.await("/health", r -> r.statusCode() == 503 && r.body().contains("draining"),
                    Duration.ofSeconds(10));
                long atDrain = packetsIn(admin.get("/metrics").body());

                assertNewInviteRefused();

                // The anchored call keeps relaying: the caller plays its pcap twice more after this point.
                admin.await("/metrics", r -> packetsIn(r.body()) >= atDrain + 50, Duration.ofSeconds(20));
                assertTrue(uac.isAlive(), "the call is still up while we look\n" + uac.report());
                assertEquals(503, admin.get("/health").statusCode(), "still draining while the call is up");

                uac.assertSuccess(CALL);
                uas.assertSuccess(CALL);
                long byeNs = System.nanoTime();
                assertEquals(0, node.awaitExit(DRAIN_TIMEOUT), String.join("\n", node.output()));
                long afterByeMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - byeNs);
                long afterSigtermMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sigtermNs);
                assertTrue(afterSigtermMs < DRAIN_TIMEOUT.toMillis() / 2,
                    "exited " + afterSigtermMs + " ms after SIGTERM: it waited for the drain timeout, not the call");
                assertTrue(afterByeMs < 15_000, "exited " + afterByeMs + " ms after the BYE");
                node.awaitLine("draining: taking no new calls; 1 active calls", Duration.ofSeconds(1));
                node.awaitLine("INFO  [node] stopped", Duration.ofSeconds(1));
            }
        }
    }

    /** A second caller during the drain: a 503 with Retry-After, and the node still answers. */
    private void assertNewInviteRefused() throws Exception {
        try (SipUdpClient client = new SipUdpClient()) {
            String callId = "drain-" + System.nanoTime() + "@127.0.0.1";
            client.send("INVITE sip:bob@127.0.0.1:" + nodePort + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:$PORT;branch=z9hG4bK-drain1;rport\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:carol@127.0.0.1:$PORT>;tag=c1\r\n"
                + "To: <sip:bob@127.0.0.1>\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: 1 INVITE\r\n"
                + "Contact: <sip:carol@127.0.0.1:$PORT>\r\n"
                + "Content-Length: 0\r\n\r\n", new InetSocketAddress("127.0.0.1", nodePort));
            long deadlineNs = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            SipResponse fin = null;
            List<String> seen = new ArrayList<>();
            while (fin == null && deadlineNs - System.nanoTime() > 0) {
                SipMessage m = client.receive(1000);
                if (m == null) {
                    continue;
                }
                seen.add(m.toString());
                if (m instanceof SipResponse r && !r.isProvisional()) {
                    fin = r;
                }
            }
            assertNotNull(fin, "no final answer to an INVITE during the drain; got " + seen);
            assertEquals(503, fin.statusCode(), fin.toString());
            assertTrue(fin.retryAfter() > 0, "503 without Retry-After: " + fin);
            assertEquals(callId, fin.callId(), fin.toString());
        }
    }

    /** {@code spillway_relay_packets_total{direction="in"}} from a /metrics body, or -1. */
    private static long packetsIn(String metrics) {
        for (String line : metrics.split("\n")) {
            if (line.startsWith(PACKETS_IN)) {
                return (long) Double.parseDouble(line.substring(PACKETS_IN.length()).trim());
            }
        }
        return -1;
    }
}
