package io.spillway.node.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spillway.node.testsupport.AdminClient;
import io.spillway.node.testsupport.FreePorts;
import io.spillway.node.testsupport.NodeProcess;
import io.spillway.node.testsupport.SipUdpClient;
import io.spillway.sip.SipMessage;
import io.spillway.sip.SipRequest;
import io.spillway.sip.SipResponse;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two daemons as separate processes, started as an operator does ({@code tools/spillway run --set
 * ...}): node A holds one real call (its relay anchors it) against {@code max_calls = 1}, so the next
 * INVITE to A is redirected to B with a reservation token, and B takes the redirected INVITE.
 */
@Tag("slow")
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ClusterProcessIT {
    private static final Duration START = Duration.ofSeconds(60);
    private static final int WAIT_MS = 10_000;

    @TempDir
    Path dir;

    private record Ports(int sip, int control, int admin, int mediaMin) {
    }

    private static List<String> args(String id, Ports self, Ports a, Ports b, Path key, long maxCalls, int calleePort) {
        List<String> sets = new ArrayList<>(List.of(
            "sip.udp_port=" + self.sip(), "sip.tcp_port=" + self.sip(), "admin.listen=127.0.0.1:" + self.admin(),
            "media.event_loops=1", "media.port_min=" + self.mediaMin(), "media.port_max=" + (self.mediaMin() + 99),
            "ng.listen=127.0.0.1:" + FreePorts.tcpAndUdp(),
            "cluster.node_id=" + id, "cluster.control_listen=127.0.0.1:" + self.control(),
            "cluster.secret_file=" + key, "cluster.thresholds.max_calls=" + maxCalls,
            "cluster.thresholds.hysteresis_percent=0",
            "cluster.peers.0.id=a", "cluster.peers.0.sip=127.0.0.1:" + a.sip(),
            "cluster.peers.0.control=127.0.0.1:" + a.control(),
            "cluster.peers.1.id=b", "cluster.peers.1.sip=127.0.0.1:" + b.sip(),
            "cluster.peers.1.control=127.0.0.1:" + b.control(),
            "routes.0.prefix=bob", "routes.0.uri=sip:bob@127.0.0.1:" + calleePort));
        List<String> out = new ArrayList<>(List.of("run"));
        for (String s : sets) {
            out.add("--set");
            out.add(s);
        }
        return out;
    }

    private static String invite(String requestUri, String callId, int clientPort, int cseq, String branch,
                                 boolean withSdp) {
        String sdp = "v=0\r\no=alice 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
            + "m=audio 7078 RTP/AVP 0\r\n";
        return "INVITE " + requestUri + " SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP 127.0.0.1:" + clientPort + ";branch=" + branch + "\r\n"
            + "Max-Forwards: 70\r\n"
            + "From: <sip:alice@127.0.0.1:" + clientPort + ">;tag=alice-" + callId + "\r\n"
            + "To: <sip:bob@example.net>\r\n"
            + "Call-ID: " + callId + "\r\n"
            + "CSeq: " + cseq + " INVITE\r\n"
            + "Contact: <sip:alice@127.0.0.1:" + clientPort + ">\r\n"
            + (withSdp ? "Content-Type: application/sdp\r\nContent-Length: " + sdp.length() + "\r\n\r\n" + sdp
                : "Content-Length: 0\r\n\r\n");
    }

    private static SipResponse finalResponse(SipUdpClient client) throws Exception {
        long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
        while (deadlineNs - System.nanoTime() > 0) {
            SipMessage m = client.receive(WAIT_MS);
            if (m instanceof SipResponse r && r.statusCode() >= 200) {
                return r;
            }
        }
        throw new AssertionError("no final response in " + WAIT_MS + " ms");
    }

    @Test
    void aFullNodeRedirectsToTheOtherProcess() throws Exception {
        Path key = dir.resolve("cluster.key");
        Files.writeString(key, "process-it-cluster-key-0123456789\n");
        Ports a = new Ports(FreePorts.tcpAndUdp(), FreePorts.tcpAndUdp(), FreePorts.tcpAndUdp(), 27_000);
        Ports b = new Ports(FreePorts.tcpAndUdp(), FreePorts.tcpAndUdp(), FreePorts.tcpAndUdp(), 27_200);
        try (SipUdpClient client = new SipUdpClient(); SipUdpClient callee = new SipUdpClient();
             NodeProcess nodeA = NodeProcess.start(args("a", a, a, b, key, 1, callee.port()), Map.of());
             NodeProcess nodeB = NodeProcess.start(args("b", b, a, b, key, 10, callee.port()), Map.of())) {
            AdminClient adminA = new AdminClient("127.0.0.1", a.admin());
            AdminClient adminB = new AdminClient("127.0.0.1", b.admin());
            adminA.await("/health", r -> r.statusCode() == 200, START);
            adminB.await("/health", r -> r.statusCode() == 200, START);
            adminA.await("/cluster", r -> r.body().contains("\"state\":\"alive\""), Duration.ofSeconds(20));
            InetSocketAddress sipA = new InetSocketAddress("127.0.0.1", a.sip());

            // One real call fills A: its offer is anchored on A's relay (the callee never answers).
            client.send(invite("sip:bob@127.0.0.1:" + a.sip(), "fill-1", client.port(), 1, "z9hG4bK-f1", true), sipA);
            SipMessage held = callee.receive(WAIT_MS);
            assertNotNull(held, "A forwarded the first call\n" + String.join("\n", nodeA.output()));
            assertTrue(((SipRequest) held).bodyAsString().contains("c=IN IP4 127.0.0.1"), held.toString());
            adminA.await("/cluster", r -> r.body().contains("\"full\":true"), Duration.ofSeconds(10));

            client.send(invite("sip:bob@127.0.0.1:" + a.sip(), "over-1", client.port(), 1, "z9hG4bK-o1", false), sipA);
            SipResponse moved = finalResponse(client);
            assertEquals(302, moved.statusCode(), moved + "\n" + String.join("\n", nodeA.output()));
            String contact = moved.contacts().get(0).uri().toString();
            assertTrue(contact.startsWith("sip:bob@127.0.0.1:" + b.sip() + ";spw-token="), contact);

            client.send(invite(contact, "over-1", client.port(), 2, "z9hG4bK-o2", false),
                new InetSocketAddress("127.0.0.1", b.sip()));
            long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
            SipRequest atCallee = null;
            while (atCallee == null && deadlineNs - System.nanoTime() > 0) {
                SipMessage m = callee.receive(WAIT_MS);
                if (m instanceof SipRequest r && "over-1".equals(r.callId())) {
                    atCallee = r;
                }
            }
            assertNotNull(atCallee, "B forwarded the redirected call\n" + String.join("\n", nodeB.output()));
            assertEquals("sip:bob@127.0.0.1:" + callee.port(), atCallee.requestUriString());
            String metricsB = adminB.get("/metrics").body();
            assertTrue(metricsB.contains("spillway_overflow_decisions_total{outcome=\"token\"} 1"), metricsB);
            assertTrue(adminA.get("/metrics").body()
                .contains("spillway_overflow_decisions_total{outcome=\"redirected\"} 1"));
        }
    }
}
