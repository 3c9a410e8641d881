package io.spillway.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ClusterConfigTest {
    private static final byte[] SECRET = "a-secret-of-more-than-16-bytes".getBytes(StandardCharsets.US_ASCII);
    private static final List<PeerSpec> SEQUENCE = List.of(
        PeerSpec.of(1, "127.0.0.1:5060", "127.0.0.1:5070"),
        PeerSpec.of(2, "[::1]:5060", "[::1]:5070"));

    private static ClusterConfig.Builder valid() {
        return ClusterConfig.builder(1, SEQUENCE, SECRET, ThresholdConfig.ofCalls(100));
    }

    private static void assertRejected(final String field, final UnaryOperator<ClusterConfig.Builder> change) {
        final IllegalArgumentException e =
            assertThrows(IllegalArgumentException.class, () -> change.apply(valid()).build());
        assertTrue(e.getMessage().contains(field), e.getMessage());
    }

    @Test
    void defaultsAreValid() {
        final ClusterConfig config = valid().build();
        assertEquals(1, config.self().nodeId());
        assertEquals(new InetSocketAddress("127.0.0.1", 5070), config.effectiveBindAddress());
        assertEquals(1, config.indexOf(2));
        assertTrue(config.skipDeadPeers());
        assertTrue(config.skipFullPeers());
    }

    @Test
    void secretIsCopiedAndNeverPrinted() {
        final byte[] secret = SECRET.clone();
        final ClusterConfig config = ClusterConfig.builder(1, SEQUENCE, secret, ThresholdConfig.ofCalls(1)).build();
        secret[0] = 'X';
        assertEquals(SECRET[0], config.secret()[0]);
        config.secret()[1] = 'Y';
        assertEquals(SECRET[1], config.secret()[1]);
        assertFalse(config.toString().contains("a-secret"));
    }

    @Test
    void errorsNameTheField() {
        assertRejected("nodeId", b -> ClusterConfig.builder(9, SEQUENCE, SECRET, ThresholdConfig.ofCalls(1)));
        assertRejected("secret", b -> ClusterConfig.builder(1, SEQUENCE, new byte[8], ThresholdConfig.ofCalls(1)));
        assertRejected("sequence", b -> ClusterConfig.builder(1, List.of(), SECRET, ThresholdConfig.ofCalls(1)));
        assertRejected("sequence[1].nodeId", b -> ClusterConfig.builder(1,
            List.of(SEQUENCE.get(0), PeerSpec.of(1, "127.0.0.2:5060", "127.0.0.2:5070")), SECRET,
            ThresholdConfig.ofCalls(1)));
        assertRejected("sequence[1].controlAddress", b -> ClusterConfig.builder(1,
            List.of(SEQUENCE.get(0), PeerSpec.of(2, "127.0.0.2:5060", "127.0.0.1:5070")), SECRET,
            ThresholdConfig.ofCalls(1)));
        assertRejected("sequence[1].name", b -> ClusterConfig.builder(1,
            List.of(SEQUENCE.get(0), PeerSpec.of(2, "node-1", "127.0.0.2:5060", "127.0.0.2:5070")), SECRET,
            ThresholdConfig.ofCalls(1)));
        assertRejected("name", b -> ClusterConfig.builder(1,
            List.of(SEQUENCE.get(0), PeerSpec.of(2, " ", "127.0.0.2:5060", "127.0.0.2:5070")), SECRET,
            ThresholdConfig.ofCalls(1)));
        assertRejected("thresholds", b -> b.thresholds(null));
        assertRejected("hopAckTimeoutMs", b -> b.hopAckTimeoutMs(0));
        assertRejected("retransmitIntervalMs", b -> b.retransmitIntervalMs(200));
        assertRejected("chainDeadlineMs", b -> b.chainDeadlineMs(-1));
        assertRejected("reservationTtlMs", b -> b.reservationTtlMs(500));
        assertRejected("replayWindowMs", b -> b.replayWindowMs(100));
        assertRejected("heartbeatIntervalMs", b -> b.heartbeatIntervalMs(0));
        assertRejected("peerDeadAfterMs", b -> b.peerDeadAfterMs(1_000));
    }

    @Test
    void thresholdAndDemandErrorsNameTheField() {
        assertThrows(IllegalArgumentException.class, () -> new ThresholdConfig(0, 0, 0, CallDemand.NONE, 0));
        assertTrue(assertThrows(IllegalArgumentException.class,
            () -> new ThresholdConfig(-1, 0, 0, CallDemand.NONE, 0)).getMessage().contains("maxCalls"));
        assertTrue(assertThrows(IllegalArgumentException.class,
            () -> new ThresholdConfig(1, 0, 0, CallDemand.NONE, 1.0)).getMessage().contains("hysteresis"));
        assertTrue(assertThrows(IllegalArgumentException.class,
            () -> new CallDemand(-1, 0)).getMessage().contains("bandwidthBytesPerSec"));
    }

    @Test
    void hostPortParsing() {
        assertEquals(5070, PeerSpec.parseHostPort("x", "[::1]:5070").getPort());
        assertTrue(assertThrows(IllegalArgumentException.class,
            () -> PeerSpec.parseHostPort("controlAddress", "::1:5070")).getMessage().contains("controlAddress"));
        assertThrows(IllegalArgumentException.class, () -> PeerSpec.parseHostPort("x", "127.0.0.1"));
        assertThrows(IllegalArgumentException.class, () -> PeerSpec.parseHostPort("x", "127.0.0.1:99999"));
        assertThrows(IllegalArgumentException.class, () -> PeerSpec.parseHostPort("x", "127.0.0.1:abc"));
        assertTrue(assertThrows(IllegalArgumentException.class,
            () -> PeerSpec.of(3, "127.0.0.1:5060", "127.0.0.1:0")).getMessage().contains("controlAddress"));
    }
}
