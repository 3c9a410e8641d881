package io.spillway.media;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class MediaConfigTest {
    @Test
    void defaultsAreTheDocumentedOnes() {
        MediaConfig c = MediaConfig.builder().build();
        assertEquals(30000, c.portMin());
        assertEquals(39999, c.portMax());
        assertEquals(1500, c.maxPacketBytes());
        assertEquals(60_000, c.inactivityTimeoutMs());
        assertEquals(0, c.maxDurationMs());
        assertEquals(LatchingMode.DEFAULT, c.latching());
        assertTrue(c.latching().strictSource());
        assertEquals(Runtime.getRuntime().availableProcessors(), c.eventLoops());
        assertEquals(c.bindIpv4(), c.advertised(IpFamily.IPV4));
    }

    @Test
    void errorsNameTheKey() throws Exception {
        assertMessage("media.portMin", () -> MediaConfig.builder().portRange(80, 90).build());
        assertMessage("media.portMax", () -> MediaConfig.builder().portRange(30000, 29000).build());
        assertMessage("holds no even/odd port pair", () -> MediaConfig.builder().portRange(30001, 30002).build());
        assertMessage("media.maxPacketBytes", () -> MediaConfig.builder().maxPacketBytes(10).build());
        assertMessage("media.eventLoops", () -> MediaConfig.builder().eventLoops(0).build());
        assertMessage("media.bindIpv4/media.bindIpv6", () -> MediaConfig.builder().bindIpv4(null).build());
        InetAddress v6 = InetAddress.getByName("::1");
        assertMessage("media.bindIpv4: must be an Inet4Address", () -> MediaConfig.builder().bindIpv4(v6).build());
        assertMessage("media.inactivityTimeoutMs", () -> MediaConfig.builder().inactivityTimeoutMs(0).build());
        assertMessage("media.latching.handoverSilenceMs", () -> new LatchingMode(true, -1, false));
    }

    private static void assertMessage(String expected, Runnable build) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build::run);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
