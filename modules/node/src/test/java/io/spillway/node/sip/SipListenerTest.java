package io.spillway.node.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spillway.node.testsupport.SipTestNode;
import io.spillway.node.testsupport.SipUdpClient;
import io.spillway.sip.SipMessage;
import io.spillway.sip.SipParser;
import io.spillway.sip.SipResponse;
import io.spillway.sip.SipStreamFramer;
import io.spillway.sip.SipParseException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The SIP listener over real UDP and TCP: OPTIONS to the node, 501, 400, garbage, the RFC 4475 corpus. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SipListenerTest {
    private static final Path RFC4475 = Path.of("/work/shared/rfc4475");
    private static SipTestNode node;

    @BeforeAll
    static void start() throws Exception {
        node = SipTestNode.start("sip.listen=127.0.0.1,::1");
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
    }

    static String options(String host, int port, String branch) {
        return "OPTIONS sip:" + host + ":" + port + " SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP 127.0.0.1:$PORT;branch=z9hG4bK" + branch + ";rport\r\n"
            + "Max-Forwards: 70\r\n"
            + "From: <sip:tester@127.0.0.1>;tag=abc123\r\n"
            + "To: <sip:" + host + ":" + port + ">\r\n"
            + "Call-ID: opt-" + branch + "@127.0.0.1\r\n"
            + "CSeq: 42 OPTIONS\r\n"
            + "Content-Length: 0\r\n\r\n";
    }

    private static SipResponse optionsRoundTrip(SipUdpClient client, String branch) throws Exception {
        client.send(options("127.0.0.1", node.udp().getPort(), branch), node.udp());
        SipMessage m = client.receive(5000);
        assertNotNull(m, "no answer to OPTIONS");
        return (SipResponse) m;
    }

    @Test
    void optionsToTheNodeIsAnswered200WithHeadersCopied() throws Exception {
        try (SipUdpClient client = new SipUdpClient()) {
            SipResponse r = optionsRoundTrip(client, "opt1");
            assertEquals(200, r.statusCode());
            assertEquals("z9hG4bKopt1", r.topVia().branch());
            assertEquals(Integer.toString(client.port()), r.topVia().params().get("rport"), "RFC 3581 rport filled in");
            assertEquals("abc123", r.fromTag());
            assertNotNull(r.toTag(), "a final response gets a To tag");
            assertEquals("opt-opt1@127.0.0.1", r.callId());
            assertEquals(42, r.cseqNumber());
            assertEquals("OPTIONS", r.cseqMethod());
            assertTrue(r.allow().contains("INVITE") && r.allow().contains("OPTIONS"), r.toString());
            assertEquals("application/sdp", r.header("Accept"));
            assertTrue(r.hasHeader("Supported"));
        }
    }

    @Test
    void optionsOverIpv6() throws Exception {
        InetSocketAddress v6 = node.sip().udpAddresses().get(1);
        try (java.net.DatagramSocket s = new java.net.DatagramSocket(new InetSocketAddress("::1", 0))) {
            String msg = options("[::1]", v6.getPort(), "v6").replace("127.0.0.1:$PORT", "[::1]:" + s.getLocalPort());
            byte[] b = msg.getBytes(StandardCharsets.UTF_8);
            s.send(new java.net.DatagramPacket(b, b.length, v6));
            s.setSoTimeout(5000);
            byte[] buf = new byte[4096];
            java.net.DatagramPacket p = new java.net.DatagramPacket(buf, buf.length);
            s.receive(p);
            SipResponse r = (SipResponse) SipParser.parse(java.util.Arrays.copyOf(buf, p.getLength()));
            assertEquals(200, r.statusCode());
        }
    }

    @Test
    void unsupportedMethodGets501() throws Exception {
        try (SipUdpClient client = new SipUdpClient()) {
            client.send(options("127.0.0.1", node.udp().getPort(), "reg1").replace("OPTIONS", "PUBLISH"), node.udp());
            SipResponse r = (SipResponse) client.receive(5000);
            assertNotNull(r);
            assertEquals(501, r.statusCode());
            assertEquals("PUBLISH", r.cseqMethod());
        }
    }

    @Test
    void malformedButAnswerableGets400NamingTheProblem() throws Exception {
        try (SipUdpClient client = new SipUdpClient()) {
            client.send(options("127.0.0.1", node.udp().getPort(), "bad1").replace("Max-Forwards: 70", "Max-Forwards: x70"),
                node.udp());
            String r = client.receiveText(5000);
            assertNotNull(r, "a request with Via/From/To/Call-ID/CSeq is answered");
            String statusLine = r.substring(0, r.indexOf('\r'));
            assertTrue(statusLine.startsWith("SIP/2.0 400 "), statusLine);
            assertTrue(statusLine.toLowerCase().contains("max-forwards"), statusLine);
            assertTrue(r.contains("branch=z9hG4bKbad1"), r);
        }
    }

    @Test
    void malformedCSeqGetsNoResponseButIsCounted() throws Exception {
        try (SipUdpClient client = new SipUdpClient()) {
            double droppedBefore = node.metric("spillway_sip_parse_errors_total{action=\"dropped\"}");
            // a 400 has to echo the CSeq: with the CSeq broken no well-formed 400 exists
            client.send(options("127.0.0.1", node.udp().getPort(), "bad2").replace("CSeq: 42 OPTIONS", "CSeq: x42 OPTIONS"),
                node.udp());
            long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (node.metric("spillway_sip_parse_errors_total{action=\"dropped\"}") == droppedBefore
                    && deadlineNs - System.nanoTime() > 0) {
                Thread.sleep(10);
            }
            assertEquals(droppedBefore + 1, node.metric("spillway_sip_parse_errors_total{action=\"dropped\"}"));
            client.send(options("127.0.0.1", node.udp().getPort(), "after-bad2"), node.udp());
            String r = client.receiveText(5000);
            assertNotNull(r);
            assertTrue(r.startsWith("SIP/2.0 200 ") && r.contains("branch=z9hG4bKafter-bad2"), r);
        }
    }

    @Test
    void garbageAndTruncatedDatagramsAreSurvived() throws Exception {
        String good = options("127.0.0.1", node.udp().getPort(), "trunc");
        try (SipUdpClient client = new SipUdpClient()) {
            double droppedBefore = node.metric("spillway_sip_parse_errors_total{action=\"dropped\"}");
            client.send(new byte[] {0, 1, 2, 3, (byte) 0xff, 'S', 'I', 'P'}, node.udp());
            client.send("INVITE\r\n\r\n", node.udp());
            client.send("\u00ff\u00fe garbage \r\n\r\n", node.udp());
            byte[] full = good.replace("$PORT", Integer.toString(client.port())).getBytes(StandardCharsets.UTF_8);
            for (int cut : new int[] {1, 7, 20, 60, full.length / 2}) {
                client.send(java.util.Arrays.copyOf(full, cut), node.udp());
            }
            // the node still answers; anything it sent for the junk above is a 400 at most
            client.send(options("127.0.0.1", node.udp().getPort(), "after-junk"), node.udp());
            String r = client.receiveText(5000);
            int guard = 0;
            while (r != null && !r.contains("branch=z9hG4bKafter-junk") && guard++ < 20) {
                assertTrue(r.startsWith("SIP/2.0 400 "), r);
                r = client.receiveText(5000);
            }
            assertNotNull(r, "no answer after the junk");
            assertTrue(r.startsWith("SIP/2.0 200 "), r);
            assertTrue(node.metric("spillway_sip_parse_errors_total{action=\"dropped\"}") > droppedBefore);
        }
    }

    @Test
    void everyRfc4475MessageLeavesTheNodeServing() throws Exception {
        List<Path> files = new ArrayList<>();
        for (String dir : List.of("valid", "invalid", "semantic")) {
            try (Stream<Path> s = Files.list(RFC4475.resolve(dir))) {
                s.filter(p -> p.toString().endsWith(".sip")).sorted().forEach(files::add);
            }
        }
        assertTrue(files.size() >= 40, "corpus found: " + files.size());
        try (SipUdpClient client = new SipUdpClient()) {
            for (Path f : files) {
                client.send(Files.readAllBytes(f), node.udp());
            }
            // drain whatever answers came back, then check the node still answers OPTIONS
            while (client.receiveText(300) != null) {
                // responses to corpus messages whose Via names 127.0.0.1 would not come here anyway
            }
            SipResponse r = optionsRoundTrip(client, "after-corpus");
            assertEquals(200, r.statusCode());
        }
    }

    @Test
    void optionsOverTcpOnOneConnection() throws Exception {
        try (Socket s = new Socket(node.tcp().getAddress(), node.tcp().getPort())) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            List<SipMessage> got = new ArrayList<>();
            SipStreamFramer framer = new SipStreamFramer();
            for (int i = 0; i < 2; i++) {
                String msg = options("127.0.0.1", node.tcp().getPort(), "tcp" + i)
                    .replace("SIP/2.0/UDP 127.0.0.1:$PORT", "SIP/2.0/TCP 127.0.0.1:" + s.getLocalPort());
                out.write(msg.getBytes(StandardCharsets.UTF_8));
                out.flush();
                byte[] buf = new byte[4096];
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (got.size() <= i && deadline - System.nanoTime() > 0) {
                    int n = in.read(buf);
                    assertTrue(n > 0, "connection closed");
                    framer.decode(buf, 0, n, new SipStreamFramer.Sink() {
                        @Override
                        public void message(SipMessage message) {
                            got.add(message);
                        }

                        @Override
                        public void error(SipParseException error, boolean fatal) {
                            throw error;
                        }
                    });
                }
            }
            assertEquals(2, got.size());
            assertEquals(200, ((SipResponse) got.get(0)).statusCode());
            assertEquals("z9hG4bKtcp1", got.get(1).topVia().branch());
        }
    }
}
