package io.spillway.node.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spillway.media.DirectionStats;
import io.spillway.media.RelayEngine;
import io.spillway.node.call.CallView;
import io.spillway.node.testsupport.AdminClient;
import io.spillway.node.testsupport.Promtool;
import io.spillway.node.testsupport.Sipp;
import io.spillway.sip.SipUri;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

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
    private static final Duration CALL = Duration.ofMillis(CALL_MS);
    private static final Duration SIPP_TIMEOUT = Duration.ofSeconds(60);

    private final int[] ports = E2eNode.distinctPorts(6);
    private final int nodePort = ports[0];
    private final int uasPort = ports[1];
    private final int uasMedia = ports[2];
    private final int uacPort = ports[3];
    private final int uacMedia = ports[4];
    private final int regPort = ports[5];

    private String[] routeToUas() {
        return new String[] {"routes.0.prefix=bob", "routes.0.uri=sip:bob@127.0.0.1:" + uasPort};
    }

    /** The SIPp callee on {@code uasPort}, media on {@code uasMedia}, answering {@code calls} calls. */
    private Sipp uas(String scenario, int calls, boolean ipv6) throws IOException {
        String ip = ipv6 ? "::1" : "127.0.0.1";
        return Sipp.uas(scenario, ip, uasPort, calls).timeout(SIPP_TIMEOUT)
            .with("-mp", Integer.toString(uasMedia), "-mi", ip, "-trace_msg").start();
    }

    /**
     * The SIPp caller on {@code uacPort}, media on {@code uacMedia}, calling bob through the node;
     * {@code calls} at 10/s, at most {@code concurrent} at once, each held {@code pauseMs}.
     */
    private Sipp uac(String scenario, int nodeSipPort, long pauseMs, int calls, int concurrent, boolean ipv6)
        throws IOException {
        String ip = ipv6 ? "::1" : "127.0.0.1";
        return Sipp.uac(scenario, ip, uacPort, new InetSocketAddress(InetAddress.getByName(ip), nodeSipPort), calls)
            .timeout(SIPP_TIMEOUT)
            .with("-s", "bob", "-mp", Integer.toString(uacMedia), "-mi", ip, "-d", Long.toString(pauseMs),
                "-r", "10", "-l", Integer.toString(concurrent), "-trace_msg")
            .start();
    }

    /** A REGISTER scenario for bob from {@code regPort}; {@code extra} SIPp arguments appended. */
    private Sipp register(String scenario, int nodeSipPort, String... extra) throws IOException {
        return Sipp.uac(scenario, "127.0.0.1", regPort,
                new InetSocketAddress(InetAddress.getLoopbackAddress(), nodeSipPort), 1)
            .timeout(SIPP_TIMEOUT).with("-s", "bob", "-trace_msg").with(extra).start();
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = new String[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** Runs one UAC/UAS pair and checks the relay saw both pcaps through, per call and node-wide. */
    private void callWithMedia(E2eNode node, String uacScenario, String uasScenario, long pauseMs) throws Exception {
        callWithMedia(node, uacScenario, uasScenario, pauseMs, false);
    }

    private void callWithMedia(E2eNode node, String uacScenario, String uasScenario, long pauseMs, boolean ipv6)
        throws Exception {
        RelayEngine engine = node.media.engine();
        String host = ipv6 ? "[::1]" : "127.0.0.1";
        try (Sipp uas = uas(uasScenario, 1, ipv6);
             Sipp uac = uac(uacScenario, node.sipPort, pauseMs, 1, 1, ipv6)) {
            // While the call is up: its /calls entry shows every packet relayed both ways.
            // On a loaded machine the BYE may come before the last poll; the node-wide totals below
            // are exact either way, the per-call view is checked whenever it was caught complete.
            AtomicReference<CallView> seen = new AtomicReference<>();
            AtomicReference<Boolean> complete = new AtomicReference<>(false);
            awaitTrue(() -> {
                List<CallView> calls = node.hook().callsView();
                if (calls.size() != 1 || calls.get(0).streams().isEmpty()) {
                    return seen.get() != null && node.hook().activeCalls() == 0;
                }
                CallView.StreamView s = calls.get(0).streams().get(0);
                seen.set(calls.get(0));
                complete.set(s.a().packetsOut() == PCAP_PACKETS && s.b().packetsOut() == PCAP_PACKETS);
                return complete.get();
            }, CALL_MS, () -> "per-call counters: " + seen.get() + "\n" + uac.report() + uas.report());
            CallView.StreamView s = seen.get().streams().get(0);
            assertEquals(host + ":" + uacMedia, s.a().latched(), "leg A latched on SIPp UAC's media port");
            assertEquals(host + ":" + uasMedia, s.b().latched(), "leg B latched on SIPp UAS's media port");
            if (complete.get()) {
                assertTrue(new AdminClient("127.0.0.1", node.admin().getPort()).get("/calls").body()
                    .contains(seen.get().callId()) || node.hook().activeCalls() == 0, "/calls lists the call");
                assertEquals(PCAP_PACKETS, s.a().packetsIn(), "caller's packets received by the relay");
                assertEquals(PCAP_PACKETS, s.b().packetsIn(), "callee's packets received by the relay");
                assertEquals(0, s.a().drops() + s.b().drops());
            }
            uac.assertSuccess(CALL);
            uas.assertSuccess(CALL);
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
        try (E2eNode node = E2eNode.start(nodePort, routeToUas())) {
            callWithMedia(node, "media-uac.xml", "media-uas.xml", 8000);
            String metrics = new AdminClient("127.0.0.1", node.admin().getPort()).get("/metrics").body();
            Promtool.Result lint = Promtool.checkMetrics(metrics);
            assertEquals(0, lint.exitCode(), lint.output());
            assertTrue(metrics.contains("\nspillway_anchor_sessions_created_total 1\n"), metrics);
            assertTrue(metrics.contains("\nspillway_anchor_sessions_released_total 1\n"), metrics);
            assertTrue(metrics.contains("\nspillway_relay_packets_total{direction=\"out\"} " + 2 * PCAP_PACKETS + "\n"),
                metrics);
            assertTrue(metrics.contains("\nspillway_relay_port_pairs_in_use 0\n"), metrics);
        }
    }

    @Test
    void ipv6CallRelaysEveryPacketBothWays() throws Exception {
        try (E2eNode node = E2eNode.start(nodePort, "sip.listen=::1", "media.bind=::1", "routes.0.prefix=bob",
                "routes.0.uri=sip:bob@[::1]:" + uasPort)) {
            callWithMedia(node, "media-uac.xml", "media-uas.xml", 8000, true);
        }
    }

    @Test
    void holdWithReInviteAndBack() throws Exception {
        try (E2eNode node = E2eNode.start(nodePort, routeToUas())) {
            callWithMedia(node, "media-uac-hold.xml", "media-uas-hold.xml", 6000);
        }
    }

    @Test
    void lateOfferInThe200AnswerInTheAck() throws Exception {
        try (E2eNode node = E2eNode.start(nodePort, routeToUas())) {
            callWithMedia(node, "media-uac-late.xml", "media-uas-late.xml", 8000);
        }
    }

    @Test
    void registeredUserIsReachedAtItsContact() throws Exception {
        try (E2eNode node = E2eNode.start(nodePort, "sip.domains=127.0.0.1")) {
            try (Sipp reg = register("reg-register.xml", node.sipPort,
                    "-key", "contact_port", Integer.toString(uasPort))) {
                reg.assertSuccess(CALL);
            }
            List<SipUri> bound = node.registrar.locationService().lookup("bob", "127.0.0.1");
            assertEquals(List.of("sip:bob@127.0.0.1:" + uasPort), bound.stream().map(SipUri::toString).toList());

            callWithMedia(node, "media-uac.xml", "media-uas.xml", 8000);

            try (Sipp unreg = register("reg-unregister.xml", node.sipPort)) {
                unreg.assertSuccess(CALL);
            }
            assertTrue(node.registrar.locationService().lookup("bob", "127.0.0.1").isEmpty());
        }
    }

    @Test
    void concurrentCallsRelayEveryPacketOfEveryCall() throws Exception {
        int calls = 10;
        try (E2eNode node = E2eNode.start(nodePort, routeToUas())) {
            RelayEngine engine = node.media.engine();
            try (Sipp uas = uas("media-uas.xml", calls, false);
                 Sipp uac = uac("media-uac.xml", node.sipPort, 8000, calls, calls, false)) {
                awaitTrue(() -> node.hook().activeCalls() == calls, 20_000,
                    () -> "all calls up: " + node.hook().activeCalls() + "\n" + uac.report() + uas.report());
                uac.assertSuccess(CALL);
                uas.assertSuccess(CALL);
            }
            awaitTrue(() -> engine.workload().portPairsInUse() == 0 && node.hook().activeCalls() == 0, 10_000,
                () -> "after the BYEs: " + engine.workload());
            DirectionStats total = engine.nodeStats().traffic();
            assertEquals(2L * calls * PCAP_PACKETS, total.packetsIn(), "every packet of every call in");
            assertEquals(2L * calls * PCAP_PACKETS, total.packetsOut(), "every packet of every call out");
            assertEquals(0, total.totalDrops());
            assertEquals(calls, node.hook().sessionsCreated());
            assertEquals(calls, node.hook().sessionsReleased());
        }
    }

    @Test
    void mediaTimeoutMakesTheNodeSendByeToBothSides() throws Exception {
        try (E2eNode node = E2eNode.start(nodePort, concat(routeToUas(), "media.timeout=2s"))) {
            RelayEngine engine = node.media.engine();
            try (Sipp uas = uas("media-uas-silent.xml", 1, false);
                 Sipp uac = uac("media-uac-silent.xml", node.sipPort, 0, 1, 1, false)) {
                uac.assertSuccess(CALL);
                uas.assertSuccess(CALL);
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
