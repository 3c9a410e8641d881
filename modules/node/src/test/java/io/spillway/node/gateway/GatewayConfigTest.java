package io.spillway.node.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spillway.node.config.ConfigException;
import io.spillway.node.config.ConfigLoader;
import io.spillway.node.config.ConfigSource;
import io.spillway.node.config.NodeConfig;
import io.spillway.node.metrics.MetricsRegistry;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code [security]} keys: defaults, validation naming the key, and the gateway built from them. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class GatewayConfigTest {
    @TempDir
    Path dir;

    private static NodeConfig load(String... sets) {
        return ConfigLoader.load(new ConfigSource(null, List.of(sets)));
    }

    @Test
    void defaultsKeepNgOnLoopbackAndClusterClosedWithoutPeers() throws Exception {
        Gateway g = Gateway.create(load());
        assertTrue(g.policy(GatewayListener.NG).admit(InetAddress.getByName("127.0.0.1")));
        assertTrue(g.policy(GatewayListener.NG).admit(InetAddress.getByName("::1")));
        assertFalse(g.policy(GatewayListener.NG).admit(InetAddress.getByName("127.0.0.2")));
        assertFalse(g.policy(GatewayListener.CLUSTER).admit(InetAddress.getByName("127.0.0.1")));
        assertTrue(g.policy(GatewayListener.SIP).admit(InetAddress.getByName("203.0.113.1")));
        assertNull(g.sip().authenticator(), "authentication is off by default");
        assertEquals(200, g.mediaMaxPacketsPerSec());
        MetricsRegistry m = new MetricsRegistry();
        g.register(m);
        StringBuilder sb = new StringBuilder();
        m.writeTo(sb);
        assertTrue(sb.toString().contains(
            "spillway_gateway_drops_total{listener=\"ng\",reason=\"not_allowed\"} 1"), sb.toString());
    }

    @Test
    void clusterAdmitsTheConfiguredPeersOnly() throws Exception {
        Path key = dir.resolve("cluster.key");
        Files.writeString(key, "0123456789abcdef0123456789abcdef");
        NodeConfig c = load("cluster.secret_file=" + key, "cluster.node_id=a",
            "cluster.peers.0.id=a", "cluster.peers.0.sip=127.0.0.1:5060", "cluster.peers.0.control=127.0.0.1:5070",
            "cluster.peers.1.id=b", "cluster.peers.1.sip=127.0.0.5:5060", "cluster.peers.1.control=127.0.0.5:5070");
        Gateway g = Gateway.create(c);
        assertTrue(g.policy(GatewayListener.CLUSTER).admit(InetAddress.getByName("127.0.0.5")));
        assertFalse(g.policy(GatewayListener.CLUSTER).admit(InetAddress.getByName("127.0.0.6")));
    }

    @Test
    void badNetworksAreConfigErrorsNamingTheKey() {
        ConfigException e = assertThrows(ConfigException.class, () -> load("security.ng.allow=127.0.0.1,10.0.0.1/8"));
        assertEquals("security.ng.allow.1", e.key(), e.getMessage());
        assertTrue(e.problem().contains("host bits"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> load("security.sip.deny=example.com"));
        assertEquals("security.sip.deny.0", e.key(), e.getMessage());
        e = assertThrows(ConfigException.class, () -> load("security.auth.enabled=true"));
        assertEquals("security.auth.credentials_file", e.key(), e.getMessage());
        e = assertThrows(ConfigException.class, () -> load("security.flood.sip_rate_per_sec=0"));
        assertEquals("security.flood.sip_rate_per_sec", e.key(), e.getMessage());
    }

    @Test
    void authFromACredentialsFile() throws Exception {
        Path users = dir.resolve("users");
        Files.writeString(users, "# users\nalice:spillway:" + DigestAlgorithm.MD5.hex("alice:spillway:pw") + ":-\n");
        Gateway g = Gateway.create(load("security.auth.enabled=true", "security.auth.credentials_file=" + users,
            "security.auth.trusted=10.0.0.0/8"));
        assertNotNull(g.sip().authenticator());
        assertTrue(g.trusted().contains(InetAddress.getByName("10.2.3.4")));
        Files.writeString(users, "alice:spillway:plaintext-password:-\n");
        ConfigException e = assertThrows(ConfigException.class, () -> Gateway.create(load(
            "security.auth.enabled=true", "security.auth.credentials_file=" + users)));
        assertEquals("security.auth.credentials_file", e.key());
        assertFalse(e.getMessage().contains("plaintext-password"), "errors never echo a secret");
    }
}
