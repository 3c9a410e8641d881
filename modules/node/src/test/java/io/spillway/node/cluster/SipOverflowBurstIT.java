package io.spillway.node.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spillway.node.cluster.LocalCluster.Member;
import io.spillway.sip.SipMessage;
import io.spillway.sip.SipParser;
import io.spillway.sip.SipRequest;
import io.spillway.sip.SipResponse;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Zero overshoot through the whole node: a raw UDP client fires 500 initial INVITEs (each its own
 * Call-ID, each with an SDP offer) at node 1 of a four-node cluster whose call limits add up to 300.
 * Node 1 anchors and forwards the calls it keeps (to a callee that never answers, so they stay), and
 * redirects or refuses the rest.
 */
@Tag("slow")
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class SipOverflowBurstIT {
    private static final int INVITES = 500;
    private static final long[] MAX_CALLS = {100, 100, 60, 40};
    private static final long SETTLE_MS = 100_000;

    @TempDir
    Path dir;

    /** Reads every datagram on {@code socket} into {@code sink} until closed. */
    private static Thread reader(DatagramSocket socket, java.util.function.Consumer<SipMessage> sink) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[65_535];
            while (!socket.isClosed()) {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                try {
                    socket.receive(p);
                    sink.accept(SipParser.parse(Arrays.copyOf(buf, p.getLength())));
                } catch (SocketTimeoutException e) {
                    // poll again
                } catch (IOException | RuntimeException e) {
                    if (socket.isClosed()) {
                        return;
                    }
                }
            }
        }, "burst-reader");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static int decided(Map<String, Integer> finals, Set<String> forwarded) {
        int answered = 0;
        for (String callId : finals.keySet()) {
            if (!forwarded.contains(callId)) {
                answered++;
            }
        }
        return answered + forwarded.size();
    }

    private static DatagramSocket socket() throws IOException {
        DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        s.setReceiveBufferSize(4 << 20);
        s.setSoTimeout(200);
        return s;
    }

    @Test
    void exactlyTheSumOfTheThresholdsIsAcceptedOverSip() throws Exception {
        Map<String, Integer> finals = new ConcurrentHashMap<>();
        Map<String, String> redirectedTo = new ConcurrentHashMap<>();
        Set<String> forwarded = ConcurrentHashMap.newKeySet();
        Set<String> reasons = ConcurrentHashMap.newKeySet();
        try (DatagramSocket client = socket(); DatagramSocket callee = socket();
             LocalCluster c = new LocalCluster(dir, MAX_CALLS, b -> b.heartbeatIntervalMs(200).peerDeadAfterMs(30_000)
                 .retransmitIntervalMs(250).hopAckTimeoutMs(5_000).chainDeadlineMs(30_000).reservationTtlMs(90_000)
                 .replayWindowMs(60_000), true, (i, cl) -> List.of(),
                 "routes.0.prefix=bob", "routes.0.uri=sip:bob@127.0.0.1:" + callee.getLocalPort())) {
            c.awaitMesh(10_000);
            Member entry = c.member(0);
            reader(client, m -> {
                if (m instanceof SipResponse r && r.statusCode() >= 200) {
                    finals.putIfAbsent(r.callId(), r.statusCode());
                    reasons.add(r.statusCode() + " " + r.reasonPhrase());
                    if (r.statusCode() == 302) {
                        String contact = r.contacts().get(0).uri().toString();
                        redirectedTo.putIfAbsent(r.callId(), contact.substring(contact.indexOf('@') + 1,
                            contact.indexOf(';')));
                    }
                }
            });
            reader(callee, m -> {
                if (m instanceof SipRequest r) {
                    forwarded.add(r.callId());
                }
            });
            InetSocketAddress to = new InetSocketAddress("127.0.0.1", entry.sipPort());
            String sdp = "v=0\r\no=alice 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                + "m=audio 7078 RTP/AVP 0\r\n";
            for (int i = 0; i < INVITES; i++) {
                String callId = "burst-" + i;
                String invite = "INVITE sip:bob@" + entry.sipHostPort() + " SIP/2.0\r\n"
                    + "Via: SIP/2.0/UDP 127.0.0.1:" + client.getLocalPort() + ";branch=z9hG4bK-" + callId + "\r\n"
                    + "Max-Forwards: 70\r\nFrom: <sip:alice@127.0.0.1>;tag=a-" + callId + "\r\n"
                    + "To: <sip:bob@example.net>\r\nCall-ID: " + callId + "\r\nCSeq: 1 INVITE\r\n"
                    + "Contact: <sip:alice@127.0.0.1:" + client.getLocalPort() + ">\r\n"
                    + "Content-Type: application/sdp\r\nContent-Length: " + sdp.length() + "\r\n\r\n" + sdp;
                byte[] bytes = invite.getBytes(StandardCharsets.US_ASCII);
                client.send(new DatagramPacket(bytes, bytes.length, to));
                if (i % 50 == 49) {
                    Thread.sleep(5); // bounded burst: keep within the node's socket buffer
                }
            }
            long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SETTLE_MS);
            // A forwarded call's own final response (408 after Timer B: the callee never answers) is not a
            // decision; count each Call-ID once, forwarded or answered.
            while (decided(finals, forwarded) < INVITES && deadlineNs - System.nanoTime() > 0) {
                Thread.sleep(50);
            }
            Map<Integer, Integer> byCode = new java.util.TreeMap<>();
            finals.forEach((callId, code) -> {
                if (!forwarded.contains(callId)) {
                    byCode.merge(code, 1, Integer::sum);
                }
            });
            Map<String, Integer> byNode = new java.util.TreeMap<>();
            redirectedTo.values().forEach(n -> byNode.merge(n, 1, Integer::sum));
            String seen = "finals " + byCode + " " + reasons + ", redirected to " + byNode + ", forwarded by node 1 " + forwarded.size();
            assertEquals(INVITES, decided(finals, forwarded), "every INVITE answered or forwarded: " + seen);
            assertEquals(MAX_CALLS[0], forwarded.size(), "node 1 kept exactly its limit: " + seen);
            assertEquals(200, byCode.getOrDefault(302, 0), seen);
            assertEquals(200, byCode.getOrDefault(503, 0), seen);
            for (int i = 1; i < c.size(); i++) {
                assertEquals((int) MAX_CALLS[i], byNode.getOrDefault(c.member(i).sipHostPort(), 0),
                    c.member(i).id() + ": " + seen);
                assertEquals(MAX_CALLS[i], c.member(i).cluster().clusterNode().reservedCalls(), c.member(i).id());
            }
            // (Its calls end after Timer B, 32 s, when the callee never answers: never more, maybe fewer by now.)
            long sessions = entry.relay().engine().workload().activeSessions();
            assertTrue(sessions <= MAX_CALLS[0], "node 1's relay never holds more than its limit: " + sessions);
        }
    }
}
