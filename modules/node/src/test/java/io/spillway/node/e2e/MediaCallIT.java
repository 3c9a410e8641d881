package io.spillway.node.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spillway.media.DirectionStats;
import io.spillway.media.RelayEngine;
import io.spillway.node.call.CallView;
import io.spillway.node.testsupport.AdminClient;
import io.spillway.node.testsupport.FreePorts;
import io.spillway.sip.NameAddr;
import io.spillway.sip.SipParser;
import io.spillway.sip.SipResponse;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole calls through one node: SIPp UAC → node (proxy + media anchoring) → SIPp UAS, each side
 * playing {@code g711a.pcap} (236 RTP packets) at the other through the relay. The relay's own
 * counters prove that every packet crossed it both ways and nothing was dropped; SIPp's exit code
 * proves each side's signalling (and, for hold, the SDP directions it saw) was right.
 */
@Tag("slow")
@Timeout(120)
class MediaCallIT {
    /** RTP packets in /usr/share/sip-tester/g711a.pcap. */
    private static final int PCAP_PACKETS = 236;
    private static final long CALL_MS = 90_000;

    @TempDir
    Path work;

    private final int uasPort = FreePorts.tcpAndUdp();
    private final int uasMedia = FreePorts.tcpAndUdp();
    private final int uacPort = FreePorts.tcpAndUdp();
    private final int uacMedia = FreePorts.tcpAndUdp();

    private String[] routeToUas() {
        return new String[] {"routes.0.prefix=bob", "routes.0.uri=sip:bob@127.0.0.1:" + uasPort};
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = new String[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** Runs one UAC/UAS pair and checks the relay saw both pcaps through, per call and node-wide. */
    private void callWithMedia(E2eNode node, String uacScenario, String uasScenario, long pauseMs) throws Exception {
        RelayEngine engine = node.media.engine();
        try (Sipp uas = Sipp.uas(work, uasScenario, uasPort, uasMedia);
             Sipp uac = Sipp.uac(work, uacScenario, node.sipPort, "bob", uacPort, uacMedia, pauseMs)) {
            // While the call is up: its /calls entry shows every packet relayed both ways.
            awaitTrue(() -> {
                List<CallView> calls = node.hook().callsView();
                if (calls.size() != 1 || calls.get(0).streams().isEmpty()) {
                    return false;
                }
                CallView.StreamView s = calls.get(0).streams().get(0);
                return s.a().packetsOut() == PCAP_PACKETS && s.b().packetsOut() == PCAP_PACKETS;
            }, CALL_MS, () -> "per-call counters: " + node.hook().callsView() + "\n" + uac.traces() + uas.traces());
            CallView.StreamView s = node.hook().callsView().get(0).streams().get(0);
            assertEquals(PCAP_PACKETS, s.a().packetsIn(), "caller's packets received by the relay");
            assertEquals(PCAP_PACKETS, s.b().packetsIn(), "callee's packets received by the relay");
            assertEquals(0, s.a().drops() + s.b().drops());
            assertEquals("127.0.0.1:" + uacMedia, s.a().latched(), "leg A latched on SIPp UAC's media port");
            assertEquals("127.0.0.1:" + uasMedia, s.b().latched(), "leg B latched on SIPp UAS's media port");
            assertTrue(new AdminClient("127.0.0.1", node.admin().getPort()).get("/calls").body()
                .contains(node.hook().callsView().get(0).callId()), "/calls lists the call");
            uac.assertSuccess(CALL_MS);
            uas.assertSuccess(CALL_MS);
        }
        awaitTrue(() -> engine.workload().portPairsInUse() == 0 && node.hook().activeCalls() == 0, 10_000,
            () -> "after BYE: " + engine.workload() + ", calls " + node.hook().activeCalls());
        DirectionStats total = engine.nodeStats().traffic();
        assertEquals(2L * PCAP_PACKETS, total.packetsIn(), "node-wide: both pcaps in");
        assertEquals(2L * PCAP_PACKETS, total.packetsOut(), "node-wide: both pcaps out");
        assertEquals(0, total.totalDrops());
        assertEquals(1, node.hook().sessionsCreated());
        assertEquals(1, node.hook().sessionsReleased(), "BYE released the relay session");
    }

    @Test
    void callRelaysEveryPacketBothWaysAndByeFreesThePorts() throws Exception {
        try (E2eNode node = E2eNode.start(routeToUas())) {
            callWithMedia(node, "media-uac.xml", "media-uas.xml", 8000);
        }
    }

    @Test
    void holdWithReInviteAndBack() throws Exception {
        try (E2eNode node = E2eNode.start(routeToUas())) {
            callWithMedia(node, "media-uac-hold.xml", "media-uas-hold.xml", 6000);
        }
    }

    @Test
    void lateOfferInThe200AnswerInTheAck() throws Exception {
        try (E2eNode node = E2eNode.start(routeToUas())) {
            callWithMedia(node, "media-uac-late.xml", "media-uas-late.xml", 8000);
        }
    }

    @Test
    void registeredUserIsReachedAtItsContact() throws Exception {
        try (E2eNode node = E2eNode.start("sip.domains=127.0.0.1");
             DatagramSocket phone = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            phone.setSoTimeout(5000);
            String register = "REGISTER sip:127.0.0.1:" + node.sipPort + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + phone.getLocalPort() + ";branch=z9hG4bKreg1;rport\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:bob@127.0.0.1>;tag=r1\r\n"
                + "To: <sip:bob@127.0.0.1>\r\n"
                + "Call-ID: reg-1@127.0.0.1\r\n"
                + "CSeq: 1 REGISTER\r\n"
                + "Contact: <sip:bob@127.0.0.1:" + uasPort + ">;expires=300\r\n"
                + "Content-Length: 0\r\n\r\n";
            byte[] out = register.getBytes(StandardCharsets.UTF_8);
            phone.send(new DatagramPacket(out, out.length, InetAddress.getLoopbackAddress(), node.sipPort));
            SipResponse ok = null;
            byte[] buf = new byte[4096];
            for (int i = 0; i < 5 && ok == null; i++) {
                DatagramPacket in = new DatagramPacket(buf, buf.length);
                phone.receive(in);
                SipResponse r = SipParser.parseResponse(java.util.Arrays.copyOf(in.getData(), in.getLength()));
                if (r.statusCode() >= 200) {
                    ok = r;
                }
            }
            assertEquals(200, ok.statusCode(), String.valueOf(ok));
            List<NameAddr> contacts = ok.contacts();
            assertEquals(1, contacts.size());
            assertEquals("sip:bob@127.0.0.1:" + uasPort, contacts.get(0).uri().toString());
            assertEquals(300, contacts.get(0).expires());

            callWithMedia(node, "media-uac.xml", "media-uas.xml", 6000);
        }
    }

    @Test
    void mediaTimeoutMakesTheNodeSendByeToBothSides() throws Exception {
        try (E2eNode node = E2eNode.start(concat(routeToUas(), "media.timeout=2s"))) {
            RelayEngine engine = node.media.engine();
            try (Sipp uas = Sipp.uas(work, "media-uas-silent.xml", uasPort, uasMedia);
                 Sipp uac = Sipp.uac(work, "media-uac-silent.xml", node.sipPort, "bob", uacPort, uacMedia, 0)) {
                uac.assertSuccess(CALL_MS);
                uas.assertSuccess(CALL_MS);
            }
            awaitTrue(() -> engine.workload().portPairsInUse() == 0 && node.hook().activeCalls() == 0, 10_000,
                () -> "after the timeout: " + engine.workload());
            assertEquals(1, node.hook().sessionsTimedOut());
            assertEquals(0, engine.nodeStats().traffic().packetsIn(), "nobody sent media");
        }
    }

    private static void awaitTrue(BooleanSupplier condition, long timeoutMs, java.util.function.Supplier<String> what)
        throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMillis(timeoutMs).toNanos();
        while (!condition.getAsBoolean()) {
            if (deadline - System.nanoTime() < 0) {
                throw new AssertionError("timed out after " + timeoutMs + " ms: " + what.get());
            }
            Thread.sleep(50);
        }
    }
}
