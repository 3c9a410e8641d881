package io.spillway.loadgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LoadGeneratorTest {

    @Test
    void clientCodecRoundTripsAndSortsKeys() {
        byte[] b = NgClientCodec.encode(Map.of("sdp", "v=0", "command", "offer", "flags", List.of("a b"), "n", 5L));
        assertEquals("d7:command5:offer5:flagsl3:a be1:ni5e3:sdp3:v=0e", new String(b, StandardCharsets.US_ASCII));
        assertEquals(Map.of("command", "offer", "flags", List.of("a b"), "n", 5L, "sdp", "v=0"),
            NgClientCodec.decode(b, 0));
    }

    @Test
    void parsesDurationsAndAddresses() throws Exception {
        assertEquals(30_000_000_000L, LoadConfig.parseDurationNs("30s"));
        assertEquals(500_000_000L, LoadConfig.parseDurationNs("500ms"));
        assertEquals(120_000_000_000L, LoadConfig.parseDurationNs("2m"));
        assertThrows(IllegalArgumentException.class, () -> LoadConfig.parseDurationNs("30"));
        assertEquals(new InetSocketAddress("::1", 2223), LoadGenerator.parseHostPort("[::1]:2223"));
        assertEquals(new InetSocketAddress("127.0.0.1", 2223), LoadGenerator.parseHostPort("127.0.0.1:2223"));
    }

    @Test
    void rejectsUnboundedRuns() {
        assertThrows(IllegalArgumentException.class,
            () -> new LoadConfig(null, 0, 100, 1_000_000_000L, 0, 0, 160, false, false));
        assertThrows(IllegalArgumentException.class,
            () -> new LoadConfig(null, 1, 100, 2 * LoadConfig.MAX_DURATION_NS, 0, 0, 160, false, false));
        assertThrows(IllegalArgumentException.class,
            () -> new LoadConfig(null, 1, 100, 1_000_000_000L, 0, 0, 8, false, false));
    }

    @Test
    void readsTheRelayAddressOfARewrittenSdp() throws Exception {
        String sdp = "v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\n"
            + "m=audio 30000 RTP/AVP 0\r\nc=IN IP4 127.0.0.1\r\na=rtcp:30001\r\n";
        assertEquals(new InetSocketAddress("127.0.0.1", 30000), LoadCalls.relayAddress(sdp));
    }

    @Test
    void sharedSocketBaselineRunDeliversEveryPacket() throws Exception {
        LoadConfig config = new LoadConfig(null, 5, 1_000, 1_000_000_000L, 200_000_000L, 500_000_000L, 160, false, true);
        LoadReport report;
        try (EpollLoadRun run = new EpollLoadRun(new InetSocketAddress("127.0.0.1", 0));
             LoadCalls calls = LoadCalls.open(config, run.localAddress())) {
            report = run.run(config, calls);
        }
        assertEquals(1_000, report.sent());
        assertEquals(report.sent(), report.received(), report.human());
        assertEquals(0, report.reordered() + report.foreign());
    }

    @Test
    void baselineRunDeliversEveryPacketOnLoopback() throws Exception {
        LoadConfig config = new LoadConfig(null, 5, 1_000, 1_000_000_000L, 200_000_000L, 500_000_000L, 160, false, false);
        LoadReport report;
        try (LoadCalls calls = LoadCalls.open(config)) {
            report = new LoadRun(config, calls).run();
        }
        assertEquals(1_000, report.sent());
        assertEquals(report.sent(), report.received(), report.human());
        assertEquals(0, report.foreign());
        assertTrue(report.latencyNs().getTotalCount() == report.received());
        assertTrue(report.json().contains("\"lost\":0"), report.json());
    }
}
