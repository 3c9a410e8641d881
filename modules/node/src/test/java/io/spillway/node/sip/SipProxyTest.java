package io.spillway.node.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spillway.node.testsupport.SipTestNode;
import io.spillway.node.testsupport.SipUdpClient;
import io.spillway.sip.SipMessage;
import io.spillway.sip.SipParser;
import io.spillway.sip.SipRequest;
import io.spillway.sip.SipResponse;
import io.spillway.sip.SipResponseBuilder;
import io.spillway.sip.Via;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Proxy behaviour over real UDP/TCP with hand-written messages: routing, errors, loops, PROXY protocol. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SipProxyTest {

    static String invite(String ruri, String branch, String extraHeaders) {
        String sdp = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n";
        return "INVITE " + ruri + " SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP 127.0.0.1:$PORT;branch=z9hG4bK" + branch + ";rport\r\n"
            + "Max-Forwards: 70\r\n"
            + "From: <sip:alice@127.0.0.1>;tag=a1\r\n"
            + "To: <" + ruri + ">\r\n"
            + "Call-ID: " + branch + "@test\r\n"
            + "CSeq: 1 INVITE\r\n"
            + "Contact: <sip:alice@127.0.0.1:$PORT>\r\n"
            + extraHeaders
            + "Content-Type: application/sdp\r\n"
            + "Content-Length: " + sdp.length() + "\r\n\r\n" + sdp;
    }

    private static SipResponse expectResponse(SipUdpClient client, int code) throws Exception {
        for (int i = 0; i < 5; i++) {
            SipMessage m = client.receive(5000);
            assertNotNull(m, "no response " + code);
            SipResponse r = (SipResponse) m;
            if (r.statusCode() == code) {
                return r;
            }
            assertEquals(100, r.statusCode(), "unexpected " + r);
        }
        throw new AssertionError("no " + code);
    }

    private static String self(SipTestNode node) {
        return "127.0.0.1:" + node.udp().getPort();
    }

    @Test
    void forwardsInviteWithRecordRouteAndOwnViaThenRelaysErrorAndAcksHopByHop() throws Exception {
        try (SipUdpClient uas = new SipUdpClient(); SipUdpClient uac = new SipUdpClient();
             SipTestNode node = SipTestNode.start("routes.0.prefix=1000", "routes.0.uri=sip:127.0.0.1:" + uas.port())) {
            uac.send(invite("sip:1000@" + self(node), "fwd1", "Route: <sip:" + self(node) + ";lr>\r\n"), node.udp());
            expectResponse(uac, 100);
            SipRequest fwd = (SipRequest) uas.receive(5000);
            assertNotNull(fwd);
            assertEquals("sip:1000@127.0.0.1:" + uas.port(), fwd.requestUriString(), "static route retargets");
            assertTrue(fwd.routes().isEmpty(), "own Route removed: " + fwd);
            assertEquals(1, fwd.recordRoutes().size());
            assertEquals("127.0.0.1", fwd.recordRoutes().get(0).uri().host());
            assertEquals("", fwd.recordRoutes().get(0).uri().param("lr"));
            assertEquals(69, fwd.maxForwards());
            Via top = fwd.topVia();
            assertTrue(top.branch().startsWith("z9hG4bK") && !top.branch().equals("z9hG4bKfwd1"));
            assertEquals(node.udp().getPort(), top.port());
            assertEquals(Integer.toString(uac.port()), fwd.vias().get(1).params().get("rport"));
            // 180 and 486 back through the node: our Via popped
            byte[] ringing = SipResponseBuilder.forRequest(fwd, 180, "Ringing").toTag("b1").toBytes();
            uas.send(ringing, node.udp());
            SipResponse r180 = expectResponse(uac, 180);
            assertEquals(1, r180.vias().size());
            uas.send(SipResponseBuilder.forRequest(fwd, 486, "Busy Here").toTag("b1").toBytes(), node.udp());
            SipResponse r486 = expectResponse(uac, 486);
            assertEquals("z9hG4bKfwd1", r486.topVia().branch());
            SipRequest ack = (SipRequest) uas.receive(5000);
            assertNotNull(ack, "the node ACKs the 486 itself");
            assertEquals("ACK", ack.method());
            assertEquals(top.branch(), ack.topVia().branch(), "ACK for non-2xx on the INVITE's branch");
            assertEquals("b1", ack.toTag());
        }
    }

    @Test
    void drainingNodeWithoutClusterRefusesNewCallsWithTheConfiguredRetryAfter() throws Exception {
        try (SipUdpClient uac = new SipUdpClient(); SipTestNode node = SipTestNode.start("cluster.retry_after=7s")) {
            node.sip().drain();
            uac.send(invite("sip:1000@" + self(node), "drain1", ""), node.udp());
            SipResponse r = expectResponse(uac, 503);
            assertEquals("7", r.header("Retry-After"), "cluster.retry_after, not a constant: " + r);
        }
    }

    @Test
    void maxForwardsZeroGets483() throws Exception {
        try (SipUdpClient uac = new SipUdpClient(); SipTestNode node = SipTestNode.start()) {
            uac.send(invite("sip:1000@127.0.0.1:9", "mf0", "").replace("Max-Forwards: 70", "Max-Forwards: 0"), node.udp());
            expectResponse(uac, 483);
        }
    }

    @Test
    void telUriGets416() throws Exception {
        try (SipUdpClient uac = new SipUdpClient(); SipTestNode node = SipTestNode.start()) {
            uac.send(invite("tel:+441234", "tel1", ""), node.udp());
            expectResponse(uac, 416);
        }
    }

    @Test
    void unsupportedProxyRequireGets420() throws Exception {
        try (SipUdpClient uac = new SipUdpClient(); SipTestNode node = SipTestNode.start()) {
            uac.send(invite("sip:1000@127.0.0.1:9", "pr1", "Proxy-Require: foo, bar\r\n"), node.udp());
            SipResponse r = expectResponse(uac, 420);
            assertEquals("foo, bar", r.header("Unsupported"));
        }
    }

    @Test
    void localUserWithoutBindingOrRouteGets404() throws Exception {
        try (SipUdpClient uac = new SipUdpClient(); SipTestNode node = SipTestNode.start()) {
            uac.send(invite("sip:9999@" + self(node), "nf1", ""), node.udp());
            expectResponse(uac, 404);
        }
    }

    @Test
    void requestLoopingBackUnchangedGets482() throws Exception {
        try (SipUdpClient uas = new SipUdpClient(); SipUdpClient uac = new SipUdpClient();
             SipTestNode node = SipTestNode.start()) {
            uac.send(invite("sip:bob@127.0.0.1:" + uas.port(), "loop1", ""), node.udp());
            SipRequest fwd = (SipRequest) uas.receive(5000);
            assertNotNull(fwd);
            // the next hop sends it straight back: same Request-URI, tags, Call-ID, CSeq
            uas.send(fwd.toBytes(), node.udp());
            SipResponse r = (SipResponse) uas.receive(5000);
            while (r != null && r.statusCode() == 100) {
                r = (SipResponse) uas.receive(5000);
            }
            assertNotNull(r);
            assertEquals(482, r.statusCode());
        }
    }

    @Test
    void refusedTcpNextHopGets503() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        try (SipUdpClient uac = new SipUdpClient();
             SipTestNode node = SipTestNode.start("routes.0.prefix=1000",
                 "routes.0.uri=sip:127.0.0.1:" + closed + ";transport=tcp")) {
            uac.send(invite("sip:1000@" + self(node), "tcp503", ""), node.udp());
            expectResponse(uac, 503);
        }
    }

    @Test
    void drainingNodeRefusesNewCallsWith503AndRetryAfter() throws Exception {
        try (SipUdpClient uas = new SipUdpClient(); SipUdpClient uac = new SipUdpClient();
             SipTestNode node = SipTestNode.start("cluster.retry_after=45s")) {
            assertTrue(node.node().drain());
            uac.send(invite("sip:bob@127.0.0.1:" + uas.port(), "drain1", ""), node.udp());
            SipResponse r = expectResponse(uac, 503);
            assertEquals(45, r.retryAfter());
            assertNull(uas.receive(300), "nothing forwarded while draining");
        }
    }

    @Test
    void cancelWithoutInviteGets481() throws Exception {
        try (SipUdpClient uac = new SipUdpClient(); SipTestNode node = SipTestNode.start()) {
            String cancel = "CANCEL sip:1000@127.0.0.1:9 SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:$PORT;branch=z9hG4bKnope;rport\r\n"
                + "Max-Forwards: 70\r\nFrom: <sip:a@127.0.0.1>;tag=x\r\nTo: <sip:1000@127.0.0.1>\r\n"
                + "Call-ID: nope@test\r\nCSeq: 1 CANCEL\r\nContent-Length: 0\r\n\r\n";
            uac.send(cancel, node.udp());
            expectResponse(uac, 481);
        }
    }

    @Test
    void retransmittedInviteIsAbsorbedAndAnsweredFromTheTransaction() throws Exception {
        try (SipUdpClient uas = new SipUdpClient(); SipUdpClient uac = new SipUdpClient();
             SipTestNode node = SipTestNode.start()) {
            String msg = invite("sip:bob@127.0.0.1:" + uas.port(), "rtx1", "");
            uac.send(msg, node.udp());
            expectResponse(uac, 100);
            assertNotNull(uas.receive(5000));
            uac.send(msg, node.udp());
            expectResponse(uac, 100);
            SipMessage again = uas.receive(700);
            // the node's own Timer A may retransmit to the silent UAS, but the caller's copy is not forwarded
            if (again != null) {
                assertEquals("INVITE", ((SipRequest) again).method());
            }
            assertTrue(node.metric("spillway_sip_retransmissions_total{direction=\"absorbed\"}") >= 1);
        }
    }

    static byte[] proxyV2Udp(InetSocketAddress src, InetSocketAddress dst) {
        ByteBuffer b = ByteBuffer.allocate(28);
        b.put(new byte[] {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A});
        b.put((byte) 0x21).put((byte) 0x12).putShort((short) 12);
        b.put(src.getAddress().getAddress()).put(dst.getAddress().getAddress());
        b.putShort((short) src.getPort()).putShort((short) dst.getPort());
        return b.array();
    }

    private static String options(String branch, String viaHostPort) {
        return "OPTIONS sip:127.0.0.1 SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP " + viaHostPort + ";branch=z9hG4bK" + branch + ";rport\r\n"
            + "Max-Forwards: 70\r\nFrom: <sip:lb@127.0.0.1>;tag=p1\r\nTo: <sip:127.0.0.1>\r\n"
            + "Call-ID: " + branch + "@test\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";
    }

    @Test
    void proxyV2OnUdpFromTrustedBalancerGivesTheRealClientAddress() throws Exception {
        try (DatagramSocket realClient = new DatagramSocket(new InetSocketAddress("127.0.0.2", 0));
             SipUdpClient balancer = new SipUdpClient();
             SipTestNode node = SipTestNode.start("sip.trusted_load_balancers=127.0.0.1")) {
            InetSocketAddress real = (InetSocketAddress) realClient.getLocalSocketAddress();
            byte[] header = proxyV2Udp(real, node.udp());
            byte[] sip = options("lb1", "10.9.9.9:5060").replace("OPTIONS sip:127.0.0.1", "OPTIONS sip:" + self(node))
                .getBytes(StandardCharsets.UTF_8);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(header);
            out.write(sip);
            balancer.send(out.toByteArray(), node.udp());
            realClient.setSoTimeout(5000);
            byte[] buf = new byte[4096];
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            realClient.receive(p);
            SipResponse r = (SipResponse) SipParser.parse(Arrays.copyOf(buf, p.getLength()));
            assertEquals(200, r.statusCode());
            assertEquals("127.0.0.2", r.topVia().received());
            assertEquals(real.getPort(), r.topVia().rport());
            assertEquals(1, node.metric("spillway_sip_proxy_protocol_total{result=\"accepted\"}"));
        }
    }

    @Test
    void proxyHeaderFromUntrustedSourceIsRejectedAndCounted() throws Exception {
        try (SipUdpClient client = new SipUdpClient(); SipTestNode node = SipTestNode.start()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(proxyV2Udp(new InetSocketAddress("127.0.0.3", 5555), node.udp()));
            out.write(options("untrusted", "127.0.0.1:" + client.port()).getBytes(StandardCharsets.UTF_8));
            client.send(out.toByteArray(), node.udp());
            assertNull(client.receive(500), "no answer to a PROXY header from an untrusted source");
            assertEquals(1, node.metric("spillway_sip_proxy_protocol_total{result=\"rejected\"}"));
            try (Socket s = new Socket(node.tcp().getAddress(), node.tcp().getPort())) {
                s.setSoTimeout(5000);
                s.getOutputStream().write(("PROXY TCP4 127.0.0.2 127.0.0.1 5555 5060\r\n"
                    + options("t2", "127.0.0.1:9")).getBytes(StandardCharsets.UTF_8));
                assertEquals(-1, s.getInputStream().read(), "connection closed");
            }
            assertEquals(2, node.metric("spillway_sip_proxy_protocol_total{result=\"rejected\"}"));
        }
    }

    @Test
    void proxyV1OnTcpFromTrustedBalancer() throws Exception {
        try (SipTestNode node = SipTestNode.start("sip.trusted_load_balancers=127.0.0.1");
             Socket s = new Socket(node.tcp().getAddress(), node.tcp().getPort())) {
            s.setSoTimeout(5000);
            String sip = options("v1", "127.0.0.1:" + s.getLocalPort()).replace("SIP/2.0/UDP", "SIP/2.0/TCP")
                .replace("OPTIONS sip:127.0.0.1", "OPTIONS sip:127.0.0.1:" + node.tcp().getPort());
            s.getOutputStream().write(("PROXY TCP4 127.0.0.2 127.0.0.1 5555 " + node.tcp().getPort() + "\r\n" + sip)
                .getBytes(StandardCharsets.UTF_8));
            InputStream in = s.getInputStream();
            byte[] buf = new byte[4096];
            int n = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (deadline - System.nanoTime() > 0) {
                int k = in.read(buf, n, buf.length - n);
                assertFalse(k < 0, "closed");
                n += k;
                String text = new String(buf, 0, n, StandardCharsets.UTF_8);
                if (text.contains("\r\n\r\n")) {
                    break;
                }
            }
            SipResponse r = (SipResponse) SipParser.parse(Arrays.copyOf(buf, n));
            assertEquals(200, r.statusCode());
            assertEquals("127.0.0.2", r.topVia().received());
            assertEquals(5555, r.topVia().rport());
        }
    }
}
