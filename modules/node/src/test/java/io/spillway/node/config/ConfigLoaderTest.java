package io.spillway.node.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ConfigLoaderTest {
    @TempDir
    Path dir;

    private static NodeConfig load(Path file, String... sets) {
        return ConfigLoader.load(new ConfigSource(file, List.of(sets)));
    }

    private Path write(String name, String toml) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, toml);
        return f;
    }

    /** Asserts that loading fails naming exactly this key, this value, and a problem containing the text. */
    private static ConfigException assertError(String key, String value, String problemPart, Runnable load) {
        ConfigException e = assertThrows(ConfigException.class, load::run);
        assertEquals(key, e.key(), e.getMessage());
        assertEquals(value, e.value(), e.getMessage());
        assertTrue(e.problem().contains(problemPart), e.getMessage());
        assertTrue(e.getMessage().contains("'" + key + "'"), e.getMessage());
        return e;
    }

    @Test
    void defaultsWorkOnOneMachine() {
        NodeConfig c = load(null);
        assertEquals(List.of(InetAddress.getLoopbackAddress()), c.sip().listen());
        assertEquals(5060, c.sip().udpPort());
        assertEquals(5060, c.sip().tcpPort());
        assertEquals(30000, c.media().portMin());
        assertEquals(39999, c.media().portMax());
        assertEquals(Duration.ofSeconds(60), c.media().timeout());
        assertEquals(new HostPort("127.0.0.1", 2223), c.ng().listen());
        assertFalse(c.ng().enabled());
        assertEquals(new HostPort("127.0.0.1", 5070), c.cluster().controlListen());
        assertEquals(ClusterMode.REDIRECT, c.cluster().mode());
        assertEquals(new HostPort("127.0.0.1", 8080), c.admin().listen());
        assertFalse(c.admin().tokenFile().isPresent());
        assertEquals(Duration.ofMinutes(5), c.lifecycle().drainTimeout());
        assertTrue(c.routes().isEmpty());
    }

    @Test
    void fileOverridesDefaultsKeyByKey() throws IOException {
        Path f = write("n.toml", """
            [sip]
            udp_port = 5080
            domains = ["example.net", "example.org"]

            [media]
            timeout = "90s"

            [[routes]]
            prefix = "+44"
            uri = "sip:gw-uk@10.0.0.9"
            """);
        NodeConfig c = load(f);
        assertEquals(5080, c.sip().udpPort());
        assertEquals(5060, c.sip().tcpPort(), "untouched key keeps its default");
        assertEquals(List.of("example.net", "example.org"), c.sip().domains());
        assertEquals(Duration.ofSeconds(90), c.media().timeout());
        assertEquals(List.of(new RouteConfig("+44", "sip:gw-uk@10.0.0.9")), c.routes());
    }

    @Test
    void setOverridesAreTypedBySchema() throws IOException {
        Path secret = write("secret", "s3cr3t-s3cr3t-s3cr3t\n");
        NodeConfig c = load(null,
            "sip.udp_port=5090",
            "sip.listen=127.0.0.1,::1",
            "media.quarantine=500ms",
            "admin.listen=[::1]:9090",
            "cluster.mode=proxy",
            "cluster.secret_file=" + secret,
            "cluster.thresholds.max_calls=100",
            "cluster.peers.0.id=a",
            "cluster.peers.0.sip=10.0.0.1:5060",
            "cluster.peers.0.control=10.0.0.1:5070",
            "cluster.peers.1.id=b",
            "cluster.peers.1.sip=[2001:db8::2]:5060",
            "cluster.peers.1.control=[2001:db8::2]:5070",
            "lifecycle.watchdog=false",
            "routes.0.prefix=49",
            "routes.0.uri=sip:de@gw");
        assertEquals(5090, c.sip().udpPort());
        assertEquals(2, c.sip().listen().size());
        assertEquals(Duration.ofMillis(500), c.media().quarantine());
        assertEquals(new HostPort("::1", 9090), c.admin().listen());
        assertEquals(ClusterMode.PROXY, c.cluster().mode());
        assertEquals(100, c.cluster().thresholds().maxCalls());
        assertEquals(2, c.cluster().peers().size());
        assertEquals(new HostPort("2001:db8::2", 5060), c.cluster().peers().get(1).sip());
        assertFalse(c.lifecycle().watchdog());
        assertEquals("49", c.routes().get(0).prefix());
        assertTrue(c.cluster().secretFile().matches("s3cr3t-s3cr3t-s3cr3t"));
    }

    @Test
    void setOverridesTheFile() throws IOException {
        Path f = write("n.toml", "[sip]\nudp_port = 5080\n");
        assertEquals(5081, load(f, "sip.udp_port=5081").sip().udpPort());
    }

    @Test
    void unknownKeyInFileIsNamed() throws IOException {
        Path f = write("n.toml", "[sip]\nudp_prot = 5080\n");
        ConfigException e = assertError("sip.udp_prot", "5080", "unknown key", () -> load(f));
        assertTrue(e.problem().contains("udp_port"), "lists the known keys: " + e.getMessage());
    }

    @Test
    void unknownSectionIsNamed() throws IOException {
        Path f = write("n.toml", "[sipp]\nudp_port = 5080\n");
        assertError("sipp", "{\"udp_port\":5080}", "unknown key", () -> load(f));
    }

    @Test
    void unknownKeyInSetIsNamed() {
        assertError("media.port_mn", "30000", "unknown key", () -> load(null, "media.port_mn=30000"));
    }

    @Test
    void badPortIsNamed() {
        assertError("sip.udp_port", "70000", "0-65535", () -> load(null, "sip.udp_port=70000"));
        assertError("sip.tcp_port", "five", "expected an integer", () -> load(null, "sip.tcp_port=five"));
    }

    @Test
    void badDurationIsNamed() throws IOException {
        assertError("media.timeout", "5 minutes", "duration with a unit", () -> load(null, "media.timeout=5 minutes"));
        Path f = write("n.toml", "[media]\ntimeout = 60\n");
        assertError("media.timeout", "60", "duration string", () -> load(f));
        assertError("media.timeout", "0s", "greater than 0", () -> load(null, "media.timeout=0s"));
    }

    @Test
    void badAddressIsNamed() {
        assertError("admin.listen", "localhost", "host:port", () -> load(null, "admin.listen=localhost"));
        assertError("admin.listen", "[::1:8080", "[ipv6]:port", () -> load(null, "admin.listen=[::1:8080"));
        assertError("admin.listen", "127.0.0.1:99999", "0-65535", () -> load(null, "admin.listen=127.0.0.1:99999"));
        assertError("sip.listen.1", "example.net", "IP address", () -> load(null, "sip.listen=127.0.0.1,example.net"));
    }

    @Test
    void crossFieldChecksAreNamed() {
        assertError("media.port_min", "30001", "even", () -> load(null, "media.port_min=30001"));
        assertError("media.port_max", "30002", "port_min + 3", () -> load(null, "media.port_max=30002"));
        assertError("cluster.secret_file", "", "required when peers",
            () -> load(null, "cluster.peers.0.id=b", "cluster.peers.0.sip=10.0.0.2:5060",
                "cluster.peers.0.control=10.0.0.2:5070"));
        assertError("cluster.mode", "balanced", "redirect, proxy", () -> load(null, "cluster.mode=balanced"));
        assertError("cluster.retry_after", "1500ms", "whole seconds", () -> load(null, "cluster.retry_after=1500ms"));
    }

    @Test
    void peerEntriesNeedEveryField() {
        assertError("cluster.peers.0.control", null, "is required",
            () -> load(null, "cluster.peers.0.id=b", "cluster.peers.0.sip=10.0.0.2:5060"));
        assertError("cluster.peers.3.id", "x", "past the end", () -> load(null, "cluster.peers.3.id=x"));
    }

    @Test
    void duplicateRoutePrefixIsNamed() throws IOException {
        Path f = write("n.toml", """
            [[routes]]
            prefix = "44"
            uri = "sip:a@gw"
            [[routes]]
            prefix = "44"
            uri = "sip:b@gw"
            """);
        assertError("routes.1.prefix", "44", "duplicate", () -> load(f));
    }

    @Test
    void brokenTomlNamesTheFileAndLine() throws IOException {
        Path f = write("n.toml", "[sip]\nudp_port = = 5\n");
        ConfigException e = assertThrows(ConfigException.class, () -> load(f));
        assertEquals("--config", e.key());
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
    }

    @Test
    void malformedSetIsNamed() {
        assertError("--set", "sip.udp_port", "key=value", () -> load(null, "sip.udp_port"));
        assertError("sip.udp_port.x", "1", "not a table", () -> load(null, "sip.udp_port.x=1"));
    }

    @Test
    void missingSecretFileIsNamedWithoutLeakingAnything() {
        assertError("admin.token_file", "no-such-token", "cannot read", () -> load(null, "admin.token_file=no-such-token"));
    }

    @Test
    void secretsAreRedactedEverywhere() throws IOException {
        Path token = write("token", "hunter2-admin\n");
        Path secret = write("cluster.key", "hunter2-cluster-key");
        NodeConfig c = load(null, "admin.token_file=" + token, "cluster.secret_file=" + secret);
        assertTrue(c.admin().tokenFile().matches("hunter2-admin"), "trailing newline stripped");
        for (String shown : List.of(c.toString(), c.admin().toString(), c.cluster().toString())) {
            assertFalse(shown.contains("hunter2"), shown);
        }
        assertTrue(c.toString().contains("admin.token_file = " + token + " (redacted)"), c.toString());
    }

    @Test
    void secretPathsAreRelativeToTheConfigFile() throws IOException {
        write("token", "abc");
        Path f = write("n.toml", "[admin]\ntoken_file = \"token\"\n");
        assertEquals(dir.resolve("token"), load(f).admin().tokenFile().file());
    }

    @Test
    void renderedConfigReadsBackThroughSet() {
        NodeConfig c = load(null, "cluster.peers.0.id=node-1", "cluster.peers.0.sip=127.0.0.1:5060",
            "cluster.peers.0.control=127.0.0.1:5070", "routes.0.prefix=+1", "routes.0.uri=sip:us@gw");
        List<String> sets = c.toString().lines()
            .filter(l -> !l.contains("_file"))
            .map(l -> l.replaceFirst(" = ", "="))
            .toList();
        assertEquals(c, load(null, sets.toArray(String[]::new)));
    }

    @Test
    void reloadAppliesOnlyThresholdsAndRoutes() {
        NodeConfig running = load(null);
        NodeConfig next = load(null, "cluster.thresholds.max_calls=7", "routes.0.prefix=1", "routes.0.uri=sip:x@y",
            "sip.udp_port=5099");
        NodeConfig applied = running.withReloadable(next);
        assertEquals(7, applied.cluster().thresholds().maxCalls());
        assertEquals(1, applied.routes().size());
        assertEquals(5060, applied.sip().udpPort(), "restart-only key not applied");
        assertEquals(List.of("sip"), running.restartOnlyChanges(next));
        assertEquals(List.of(), running.restartOnlyChanges(running.withReloadable(next)));
    }

    @Test
    void durationsRoundTrip() {
        for (String s : List.of("500ms", "1s", "90s", "5m", "2h", "1d", "0s")) {
            assertEquals(s, ConfigValues.format(ConfigValues.parseDuration(s)));
        }
    }
}
