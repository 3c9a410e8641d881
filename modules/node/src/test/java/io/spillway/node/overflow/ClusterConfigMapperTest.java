package io.spillway.node.overflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spillway.cluster.ClusterConfig;
import io.spillway.node.config.ClusterSection;
import io.spillway.node.config.ConfigException;
import io.spillway.node.config.ConfigLoader;
import io.spillway.node.config.ConfigSource;
import io.spillway.node.config.NodeConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ClusterConfigMapperTest {
    @TempDir
    Path dir;

    private NodeConfig load(String... sets) {
        return ConfigLoader.load(new ConfigSource(null, List.of(sets)));
    }

    private String key(String text) throws Exception {
        Path file = dir.resolve("cluster.key");
        Files.writeString(file, text + "\n");
        return file.toString();
    }

    @Test
    void wireIdsAreTheNumberOrAFoldedHash() {
        assertEquals(7, ClusterSection.wireId("7"));
        assertEquals(65535, ClusterSection.wireId("65535"));
        int hashed = ClusterSection.wireId("65536");
        assertTrue(hashed >= 1 && hashed <= 65535, "folded into 1..65535: " + hashed);
        assertEquals(ClusterSection.wireId("edge-a.lon"), ClusterSection.wireId("edge-a.lon"), "stable");
        assertTrue(ClusterSection.wireId("0") >= 1, "0 is not a node number");
    }

    @Test
    void idsThatFoldToTheSameNumberAreRefusedNamingTheKey() throws Exception {
        Map<Integer, String> seen = new HashMap<>();
        String a = null;
        String b = null;
        for (int i = 0; a == null; i++) {
            String id = "node-" + i;
            String clash = seen.putIfAbsent(ClusterSection.wireId(id), id);
            if (clash != null) {
                a = clash;
                b = id;
            }
        }
        String secret = key("0123456789abcdef0123");
        final String clashA = a;
        final String clashB = b;
        ConfigException clash = assertThrows(ConfigException.class, () -> load("cluster.node_id=" + clashA,
            "cluster.secret_file=" + secret,
            "cluster.peers.0.id=" + clashA, "cluster.peers.0.sip=127.0.0.1:5060", "cluster.peers.0.control=127.0.0.1:5070",
            "cluster.peers.1.id=" + clashB, "cluster.peers.1.sip=127.0.0.1:5062", "cluster.peers.1.control=127.0.0.1:5072"));
        assertEquals("cluster.peers.1.id", clash.key(), clash.getMessage());
        assertTrue(clash.getMessage().contains("rename"), clash.getMessage());
    }

    @Test
    void nodeNumbersComeFromTheIdsNotFromTheirPositionInTheSequence() throws Exception {
        String secret = key("0123456789abcdef0123");
        NodeConfig ordered = load("cluster.node_id=a", "cluster.secret_file=" + secret,
            "cluster.peers.0.id=a", "cluster.peers.0.sip=127.0.0.1:5060", "cluster.peers.0.control=127.0.0.1:5070",
            "cluster.peers.1.id=7", "cluster.peers.1.sip=127.0.0.1:5062", "cluster.peers.1.control=127.0.0.1:5072");
        // Another node with the sequence reversed and itself not listed (it leads its own sequence).
        NodeConfig other = load("cluster.node_id=edge-c", "cluster.secret_file=" + secret,
            "cluster.control_listen=127.0.0.1:5074", "sip.udp_port=5064",
            "cluster.peers.0.id=7", "cluster.peers.0.sip=127.0.0.1:5062", "cluster.peers.0.control=127.0.0.1:5072",
            "cluster.peers.1.id=a", "cluster.peers.1.sip=127.0.0.1:5060", "cluster.peers.1.control=127.0.0.1:5070");
        Map<String, Integer> first = new HashMap<>();
        ClusterConfigMapper.map(ordered.cluster(), ordered.sip(), UnaryOperator.identity()).sequence()
            .forEach(p -> first.put(p.name(), p.nodeId()));
        Map<String, Integer> second = new HashMap<>();
        ClusterConfigMapper.map(other.cluster(), other.sip(), UnaryOperator.identity()).sequence()
            .forEach(p -> second.put(p.name(), p.nodeId()));
        assertEquals(7, first.get("7"), "a numeric id is its own number, wherever it stands");
        assertEquals(first.get("7"), second.get("7"));
        assertEquals(first.get("a"), second.get("a"), "the same id, the same number on every node");
        assertEquals(ClusterSection.wireId("edge-c"), second.get("edge-c"));
    }

    @Test
    void aShortOrUnreadableKeyIsAConfigErrorOnItsKey() throws Exception {
        String shortKey = key("too-short");
        ConfigException e = assertThrows(ConfigException.class, () -> load("cluster.secret_file=" + shortKey));
        assertEquals("cluster.secret_file", e.key());
        assertFalse(e.getMessage().contains("too-short"), "never the secret: " + e.getMessage());
        ConfigException missing = assertThrows(ConfigException.class,
            () -> load("cluster.secret_file=" + dir.resolve("absent.key")));
        assertEquals("cluster.secret_file", missing.key());
    }

    @Test
    void theSequenceKeepsTheConfiguredOrderWithThisNodeInPlace() throws Exception {
        NodeConfig cfg = load("cluster.node_id=b", "cluster.secret_file=" + key("0123456789abcdef0123"),
            "cluster.peers.0.id=a", "cluster.peers.0.sip=127.0.0.1:5060", "cluster.peers.0.control=127.0.0.1:5070",
            "cluster.peers.1.id=b", "cluster.peers.1.sip=127.0.0.1:5062", "cluster.peers.1.control=127.0.0.1:5072",
            "cluster.peers.2.id=c", "cluster.peers.2.sip=[::1]:5064", "cluster.peers.2.control=[::1]:5074",
            "cluster.control_listen=127.0.0.1:5072", "cluster.thresholds.max_calls=40",
            "cluster.thresholds.hysteresis_percent=5", "cluster.thresholds.call_bandwidth_bytes_per_sec=34400",
            "cluster.thresholds.call_packets_per_sec=200");
        ClusterConfig c = ClusterConfigMapper.map(cfg.cluster(), cfg.sip(), UnaryOperator.identity());
        List<Integer> ids = new ArrayList<>();
        c.sequence().forEach(p -> ids.add(p.nodeId()));
        assertEquals(List.of(ClusterSection.wireId("a"), ClusterSection.wireId("b"), ClusterSection.wireId("c")), ids);
        assertEquals(ClusterSection.wireId("b"), c.nodeId());
        assertEquals(5064, c.sequence().get(2).sipAddress().getPort());
        assertEquals(40, c.thresholds().maxCalls());
        assertEquals(0.05, c.thresholds().hysteresis(), 1e-9);
        assertEquals(new io.spillway.cluster.CallDemand(34_400, 200), c.thresholds().perCallDemand());
        assertEquals("0123456789abcdef0123", new String(c.secret(), java.nio.charset.StandardCharsets.UTF_8));
        assertFalse(c.toString().contains("0123456789abcdef"), c.toString());
    }

    @Test
    void anUnlistedNodeLeadsItsOwnSequenceAndNoLimitMeansNeverFull() throws Exception {
        NodeConfig cfg = load("cluster.node_id=solo", "cluster.control_listen=127.0.0.1:0", "sip.udp_port=0");
        ClusterConfig c = ClusterConfigMapper.map(cfg.cluster(), cfg.sip(), UnaryOperator.identity());
        assertEquals(1, c.sequence().size());
        assertEquals(ClusterConfigMapper.NO_LIMIT_CALLS, c.thresholds().maxCalls());
        assertEquals(0, c.effectiveBindAddress().getPort(), "binds an OS-chosen port");
        NodeConfig configured = load("cluster.node_id=solo", "cluster.control_listen=127.0.0.1:5071");
        assertEquals(0, ClusterConfigMapper.map(configured.cluster(), configured.sip(), UnaryOperator.identity())
            .effectiveBindAddress().getPort(), "without peers nothing needs the configured port");

        NodeConfig withPeers = load("cluster.node_id=a", "cluster.secret_file=" + key("0123456789abcdef0123"),
            "cluster.control_listen=127.0.0.1:0",
            "cluster.peers.0.id=b", "cluster.peers.0.sip=127.0.0.1:5062", "cluster.peers.0.control=127.0.0.1:5072");
        ConfigException e = assertThrows(ConfigException.class,
            () -> ClusterConfigMapper.map(withPeers.cluster(), withPeers.sip(), UnaryOperator.identity()));
        assertEquals("cluster.peers", e.key());
    }
}
