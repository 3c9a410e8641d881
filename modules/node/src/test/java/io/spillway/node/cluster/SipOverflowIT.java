package io.spillway.node.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spillway.media.DirectionStats;
import io.spillway.node.call.CallView;
import io.spillway.node.call.RelayMediaHook;
import io.spillway.node.cluster.LocalCluster.Member;
import io.spillway.node.overflow.OverflowOutcome;
import io.spillway.node.overflow.ReservationUris;
import io.spillway.node.testsupport.FreePorts;
import io.spillway.node.testsupport.SipUdpClient;
import io.spillway.node.testsupport.Sipp;
import io.spillway.sip.SipMessage;
import io.spillway.sip.SipRequest;
import io.spillway.sip.SipResponse;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Overflow through the SIP proxy: nodes with the relay, the proxy and the cluster in one JVM, clients
 * and callees on loopback UDP (raw sockets and SIPp).
 */
@Tag("slow")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SipOverflowIT {
    private static final int WAIT_MS = 10_000;
    /** RTP packets in /usr/share/sip-tester/g711a.pcap. */
    private static final int PCAP_PACKETS = 236;

    @TempDir
    Path dir;

    private static String invite(String requestUri, String callId, int clientPort, int cseq, String branch) {
        return "INVITE " + requestUri + " SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP 127.0.0.1:" + clientPort + ";branch=" + branch + "\r\n"
            + "Max-Forwards: 70\r\n"
            + "From: <sip:alice@127.0.0.1:" + clientPort + ">;tag=alice-" + callId + "\r\n"
            + "To: <sip:bob@example.net>\r\n"
            + "Call-ID: " + callId + "\r\n"
            + "CSeq: " + cseq + " INVITE\r\n"
            + "Contact: <sip:alice@127.0.0.1:" + clientPort + ">\r\n"
            + "Content-Length: 0\r\n\r\n";
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

    private static SipRequest nextRequest(SipUdpClient uas) throws Exception {
        SipMessage m = uas.receive(WAIT_MS);
        assertNotNull(m, "the callee got nothing");
        return (SipRequest) m;
    }

    private static InetSocketAddress sipOf(Member m) {
        return new InetSocketAddress("127.0.0.1", m.sipPort());
    }

    @Test
    void anInviteToAFullNodeIsRedirectedAndTheRedirectedInviteIsTakenThere() throws Exception {
        try (SipUdpClient client = new SipUdpClient(); SipUdpClient callee = new SipUdpClient();
             LocalCluster c = new LocalCluster(dir, new long[] {1, 1}, LocalCluster.FAST, true, (i, cl) -> List.of(),
                 "routes.0.prefix=bob", "routes.0.uri=sip:bob@127.0.0.1:" + callee.port())) {
            Member a = c.member(0);
            Member b = c.member(1);
            a.media().calls.set(1);
            client.send(invite("sip:bob@" + a.sipHostPort(), "redir-1", client.port(), 1, "z9hG4bK-r1"), sipOf(a));
            SipResponse moved = finalResponse(client);
            assertEquals(302, moved.statusCode(), moved.toString());
            String contact = moved.contacts().get(0).uri().toString();
            assertTrue(contact.startsWith("sip:bob@" + b.sipHostPort() + ";spw-token="), contact);
            assertNotNull(moved.toTag(), "a final response carries a To tag");
            client.send("ACK sip:bob@" + a.sipHostPort() + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + client.port() + ";branch=z9hG4bK-r1\r\n"
                + "Max-Forwards: 70\r\nFrom: <sip:alice@127.0.0.1:" + client.port() + ">;tag=alice-redir-1\r\n"
                + "To: <sip:bob@example.net>;tag=" + moved.toTag() + "\r\nCall-ID: redir-1\r\nCSeq: 1 ACK\r\n"
                + "Content-Length: 0\r\n\r\n", sipOf(a));
            assertFalse(callee.receive(300) != null, "the full node forwarded nothing");

            client.send(invite(contact, "redir-1", client.port(), 2, "z9hG4bK-r2"), sipOf(b));
            SipRequest forwarded = nextRequest(callee);
            assertEquals("sip:bob@127.0.0.1:" + callee.port(), forwarded.requestUriString(),
                "routed like the original call, without the token");
            assertFalse(forwarded.toString().contains(ReservationUris.TOKEN_PARAM), forwarded.toString());
            assertEquals(1, b.cluster().policy().count(OverflowOutcome.TOKEN));
            assertEquals(1, a.cluster().policy().count(OverflowOutcome.REDIRECTED));
            assertEquals(0, b.cluster().clusterNode().reservedCalls(), "the reservation was consumed");
            // A late offer (no SDP in the INVITE): the call counts as admitted until its final response.
            assertEquals(1, b.cluster().admissions().pending());
            callee.send(io.spillway.sip.SipResponseBuilder.forRequest(forwarded, 486, "Busy Here").toTag("callee")
                .toBytes(), sipOf(b));
            SipResponse busy = finalResponse(client);
            assertEquals(486, busy.statusCode(), busy.toString());
            assertEquals(0, b.cluster().admissions().pending(), "the final response closed the admission");
        }
    }

    @Test
    void aDrainingNodeRedirectsNewCallsToItsPeers() throws Exception {
        try (SipUdpClient client = new SipUdpClient();
             LocalCluster c = new LocalCluster(dir, new long[] {10, 10}, LocalCluster.FAST, true, (i, cl) -> List.of())) {
            Member a = c.member(0);
            assertTrue(a.node().drain());
            long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!a.cluster().overThreshold() && deadlineNs - System.nanoTime() > 0) {
                Thread.sleep(10);
            }
            client.send(invite("sip:bob@" + a.sipHostPort(), "drain-1", client.port(), 1, "z9hG4bK-d1"), sipOf(a));
            SipResponse moved = finalResponse(client);
            assertEquals(302, moved.statusCode(), "not a bare 503: the peers have room\n" + moved);
            assertTrue(moved.contacts().get(0).uri().toString().startsWith("sip:bob@" + c.member(1).sipHostPort()),
                moved.toString());
        }
    }

    @Test
    void allNodesFullIs503WithRetryAfter() throws Exception {
        try (SipUdpClient client = new SipUdpClient();
             LocalCluster c = new LocalCluster(dir, new long[] {1, 1}, LocalCluster.FAST, true, (i, cl) -> List.of(),
                 "cluster.retry_after=9s")) {
            c.member(0).media().calls.set(1);
            c.member(1).media().calls.set(1);
            client.send(invite("sip:bob@" + c.member(0).sipHostPort(), "busy-1", client.port(), 1, "z9hG4bK-b1"),
                sipOf(c.member(0)));
            SipResponse busy = finalResponse(client);
            assertEquals(503, busy.statusCode(), busy.toString());
            assertEquals(9, busy.retryAfter());
            assertEquals(1, c.member(0).cluster().policy().count(OverflowOutcome.ALL_BUSY));
        }
    }

    @Test
    void proxyModeForwardsTheInviteToTheChosenNodeWhichAnchorsTheMedia() throws Exception {
        try (SipUdpClient client = new SipUdpClient(); SipUdpClient callee = new SipUdpClient();
             LocalCluster c = new LocalCluster(dir, new long[] {1, 1}, LocalCluster.FAST, true, (i, cl) -> List.of(),
                 "cluster.mode=proxy", "routes.0.prefix=bob", "routes.0.uri=sip:bob@127.0.0.1:" + callee.port())) {
            Member a = c.member(0);
            Member b = c.member(1);
            a.media().calls.set(1);
            String sdp = "v=0\r\no=alice 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                + "m=audio 7078 RTP/AVP 0\r\n";
            String text = invite("sip:bob@" + a.sipHostPort(), "proxy-1", client.port(), 1, "z9hG4bK-p1")
                .replace("Content-Length: 0\r\n\r\n", "Content-Type: application/sdp\r\nContent-Length: "
                    + sdp.length() + "\r\n\r\n" + sdp);
            client.send(text, sipOf(a));
            SipRequest forwarded = nextRequest(callee);
            assertEquals("sip:bob@127.0.0.1:" + callee.port(), forwarded.requestUriString());
            assertEquals(3, forwarded.vias().size(), "through A and B: " + forwarded);
            String body = forwarded.bodyAsString();
            assertFalse(body.contains("m=audio 7078"), "B anchored the offer: " + body);
            assertEquals(1, b.relay().engine().workload().activeSessions(), "the relay session is on B");
            assertEquals(0, a.relay().engine().workload().activeSessions(), "A relays nothing");
            assertEquals(1, a.cluster().policy().count(OverflowOutcome.FORWARDED));
            assertEquals(1, b.cluster().policy().count(OverflowOutcome.TOKEN));
        }
    }

    /** {@code cookie SP bencode(offer)} for a new call that declares {@code supports: ["load limit"]}. */
    private static byte[] ngOffer(String cookie, String callId) {
        String sdp = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
            + "m=audio 7078 RTP/AVP 0\r\n";
        String dict = "d7:call-id" + callId.length() + ":" + callId + "7:command5:offer8:from-tag1:f"
            + "3:sdp" + sdp.length() + ":" + sdp + "8:supportsl10:load limitee";
        return (cookie + " " + dict).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    private static String ngExchange(InetSocketAddress ng, byte[] request) throws Exception {
        try (java.net.DatagramSocket socket = new java.net.DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            socket.setSoTimeout(WAIT_MS);
            socket.send(new java.net.DatagramPacket(request, request.length, ng));
            byte[] in = new byte[65_535];
            java.net.DatagramPacket reply = new java.net.DatagramPacket(in, in.length);
            socket.receive(reply);
            return new String(in, 0, reply.getLength(), java.nio.charset.StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void theNgPortAnswersLoadLimitWhileTheNodeIsOverThreshold() throws Exception {
        try (LocalCluster c = new LocalCluster(dir, new long[] {1}, LocalCluster.FAST, true, (i, cl) -> List.of(),
            "ng.enabled=true")) {
            Member a = c.member(0);
            InetSocketAddress ng = a.ng().localAddress();
            String ok = ngExchange(ng, ngOffer("c1", "ng-room"));
            assertTrue(ok.startsWith("c1 ") && ok.contains("6:result2:ok"), ok);
            assertTrue(a.cluster().overThreshold(), "the ng call's relay session fills max_calls 1");
            String refused = ngExchange(ng, ngOffer("c2", "ng-full"));
            assertTrue(refused.startsWith("c2 ") && refused.contains("6:result10:load limit"), refused);
        }
    }

    @Test
    void sippFollowsTheRedirectAndItsMediaFlowsThroughTheSecondNode() throws Exception {
        int uasMedia = FreePorts.tcpAndUdp();
        int uacMedia = FreePorts.tcpAndUdp();
        Sipp uas = Sipp.uas("media-uas.xml", 1).with("-mp", Integer.toString(uasMedia));
        try (uas; LocalCluster c = new LocalCluster(dir, new long[] {1, 1}, LocalCluster.FAST, true,
                 (i, cl) -> List.of(), "routes.0.prefix=bob", "routes.0.uri=sip:bob@" + uas.hostPort())) {
            Member a = c.member(0);
            Member b = c.member(1);
            a.media().calls.set(1);
            uas.start();
            Thread.sleep(200); // let the callee bind before the first INVITE arrives
            RelayMediaHook hookB = (RelayMediaHook) b.relay().mediaHook();
            try (Sipp uac = Sipp.uac("uac_redirect_media.xml", sipOf(a), 1)
                .with("-s", "bob", "-mp", Integer.toString(uacMedia), "-d", "6000").start()) {
                // While the call is up, B's relay carries it both ways (caller's leg A, callee's leg B).
                long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                boolean bothWays = false;
                while (!bothWays && uac.isAlive() && deadlineNs - System.nanoTime() > 0) {
                    for (CallView call : hookB.callsView()) {
                        for (CallView.StreamView s : call.streams()) {
                            bothWays |= s.a().packetsIn() > 0 && s.b().packetsIn() > 0
                                && s.a().packetsOut() > 0 && s.b().packetsOut() > 0;
                        }
                    }
                    Thread.sleep(50);
                }
                assertTrue(bothWays, "media crossed B both ways: " + hookB.callsView() + uac.report() + uas.report());
                assertEquals(0, uac.awaitExit(Duration.ofSeconds(60)), uac.report() + uas.report());
                assertEquals(0, uas.awaitExit(Duration.ofSeconds(30)), uas.report());
            }
            DirectionStats onB = b.relay().engine().nodeStats().traffic();
            assertTrue(onB.packetsIn() > PCAP_PACKETS && onB.packetsOut() > PCAP_PACKETS, "B relayed: " + onB);
            DirectionStats onA = a.relay().engine().nodeStats().traffic();
            assertEquals(0, onA.packetsIn(), "nothing through A: " + onA);
            assertEquals(1, a.cluster().policy().count(OverflowOutcome.REDIRECTED));
            assertEquals(1, b.cluster().policy().count(OverflowOutcome.TOKEN));
        }
    }
}
