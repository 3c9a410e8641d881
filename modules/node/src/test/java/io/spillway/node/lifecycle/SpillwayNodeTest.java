package io.spillway.node.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spillway.node.config.ConfigLoader;
import io.spillway.node.config.ConfigSource;
import io.spillway.node.config.NodeConfig;
import io.spillway.node.testsupport.AdminClient;
import io.spillway.node.testsupport.Promtool;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The node in-process: start order, admin API, drain, shutdown, reload. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SpillwayNodeTest {
    @TempDir
    Path dir;

    private final List<String> events = Collections.synchronizedList(new ArrayList<>());
    private SpillwayNode node;

    @AfterEach
    void stop() {
        if (node != null) {
            node.stop();
        }
    }

    /** A component that records its life and reports a settable number of active calls. */
    private class RecordingComponent implements NodeComponent {
        final String name;
        final AtomicLong calls = new AtomicLong();
        final boolean failStart;

        RecordingComponent(String name, boolean failStart) {
            this.name = name;
            this.failStart = failStart;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public void start(NodeContext context) {
            events.add("start " + name);
            if (failStart) {
                throw new IllegalStateException(name + " cannot bind");
            }
            context.registerActiveCalls(calls::get);
            context.registerCallsView(() -> List.of(Map.of("component", name, "calls", calls.get())));
            context.addConfigListener((prev, cur) -> events.add("reload " + name + " "
                + cur.cluster().thresholds().maxCalls()));
        }

        @Override
        public void drain() {
            events.add("drain " + name);
        }

        @Override
        public void stop() {
            events.add("stop " + name);
        }
    }

    private SpillwayNode startNode(ConfigSource source, NodeComponent... components) throws Exception {
        NodeConfig config = ConfigLoader.load(source);
        node = new SpillwayNode(source, config, List.of(components), Map.of());
        node.start();
        return node;
    }

    private static ConfigSource source(Path file, String... sets) {
        List<String> all = new ArrayList<>(List.of("admin.listen=127.0.0.1:0", "media.event_loops=1"));
        all.addAll(List.of(sets));
        return new ConfigSource(file, all);
    }

    private AdminClient admin() {
        return new AdminClient("127.0.0.1", node.adminAddress().getPort());
    }

    @Test
    void startsInOrderStopsInReverse() throws Exception {
        startNode(source(null), new RecordingComponent("media", false), new RecordingComponent("sip", false));
        assertEquals(NodeState.SERVING, node.state());
        node.stop();
        assertEquals(List.of("start media", "start sip", "stop sip", "stop media"), events);
        assertEquals(NodeState.STOPPED, node.state());
        assertTrue(node.awaitTermination(Duration.ofSeconds(1)));
    }

    @Test
    void failedStartStopsWhatStarted() {
        assertThrows(IllegalStateException.class, () -> startNode(source(null),
            new RecordingComponent("media", false), new RecordingComponent("sip", true)));
        assertEquals(List.of("start media", "start sip", "stop media"), events);
        assertEquals(NodeState.STOPPED, node.state());
    }

    @Test
    void adminApiServesHealthMetricsCallsCluster() throws Exception {
        RecordingComponent media = new RecordingComponent("media", false);
        startNode(source(null), media);
        media.calls.set(2);
        AdminClient admin = admin();
        HttpResponse<String> health = admin.get("/health");
        assertEquals(200, health.statusCode());
        assertTrue(health.body().contains("\"status\":\"serving\""), health.body());
        assertTrue(health.body().contains("\"active_calls\":2"), health.body());

        HttpResponse<String> metrics = admin.get("/metrics");
        assertEquals(200, metrics.statusCode());
        assertEquals("text/plain; version=0.0.4; charset=utf-8", metrics.headers().firstValue("content-type").orElse(""));
        assertTrue(metrics.body().contains("\nspillway_active_calls 2\n"), metrics.body());
        assertTrue(metrics.body().contains("spillway_node_state{state=\"serving\"} 1"), metrics.body());
        Promtool.Result lint = Promtool.checkMetrics(metrics.body());
        assertEquals(0, lint.exitCode(), lint.output());

        String calls = admin.get("/calls").body();
        assertTrue(calls.startsWith("[{") && calls.contains("\"component\":\"media\"") && calls.contains("\"calls\":2"),
            calls);
        assertTrue(admin.get("/cluster").body().contains("\"node_id\":\"node-1\""));
        assertTrue(admin.get("/config").body().contains("sip.udp_port = 5060"));
        assertEquals(404, admin.get("/nope").statusCode());
        assertEquals(405, admin.get("/drain").statusCode());
    }

    @Test
    void tokenProtectsEverythingButHealth() throws Exception {
        Path token = dir.resolve("token");
        Files.writeString(token, "t0ken\n");
        startNode(source(null, "admin.token_file=" + token));
        AdminClient admin = admin();
        assertEquals(200, admin.get("/health").statusCode());
        assertEquals(401, admin.get("/metrics").statusCode());
        assertEquals(401, admin.send("GET", "/metrics", "wrong").statusCode());
        assertEquals(401, admin.post("/drain").statusCode());
        assertEquals(200, admin.send("GET", "/metrics", "t0ken").statusCode());
        assertFalse(admin.send("GET", "/config", "t0ken").body().contains("t0ken"));
        assertEquals(NodeState.SERVING, node.state(), "an unauthorised drain did nothing");
    }

    @Test
    void drainFlipsHealthAndKeepsRunning() throws Exception {
        RecordingComponent sip = new RecordingComponent("sip", false);
        startNode(source(null), sip);
        AdminClient admin = admin();
        HttpResponse<String> r = admin.post("/drain");
        assertEquals(202, r.statusCode());
        admin.await("/health", h -> h.statusCode() == 503 && h.body().contains("\"draining\""), Duration.ofSeconds(10));
        assertEquals(NodeState.DRAINING, node.state());
        assertFalse(node.awaitTermination(Duration.ofMillis(300)), "POST /drain alone does not stop the node");
        assertTrue(events.contains("drain sip"), events.toString());
    }

    @Test
    void shutdownWaitsForActiveCalls() throws Exception {
        RecordingComponent media = new RecordingComponent("media", false);
        startNode(source(null, "lifecycle.drain_timeout=60s"), media);
        media.calls.set(1);
        node.shutdown("test");
        assertFalse(node.awaitTermination(Duration.ofMillis(500)), "stopped with a call still active");
        assertEquals(NodeState.DRAINING, node.state());
        media.calls.set(0);
        assertTrue(node.awaitTermination(Duration.ofSeconds(10)), "did not stop once calls ended");
        assertEquals(List.of("start media", "drain media", "stop media"), events);
    }

    @Test
    void shutdownGivesUpAtTheDrainTimeout() throws Exception {
        RecordingComponent media = new RecordingComponent("media", false);
        startNode(source(null, "lifecycle.drain_timeout=300ms"), media);
        media.calls.set(5);
        node.shutdown("test");
        assertTrue(node.awaitTermination(Duration.ofSeconds(10)), "drain timeout not honoured");
        assertEquals(NodeState.STOPPED, node.state());
    }

    @Test
    void secondShutdownStopsAtOnce() throws Exception {
        RecordingComponent media = new RecordingComponent("media", false);
        startNode(source(null, "lifecycle.drain_timeout=1h"), media);
        media.calls.set(5);
        node.shutdown("first");
        assertFalse(node.awaitTermination(Duration.ofMillis(200)));
        node.shutdown("second");
        assertTrue(node.awaitTermination(Duration.ofSeconds(10)));
    }

    @Test
    void shutdownDuringStartDrainsOnceStarted() throws Exception {
        java.util.concurrent.CountDownLatch inStart = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        NodeComponent slow = new RecordingComponent("slow", false) {
            @Override
            public void start(NodeContext context) {
                super.start(context);
                inStart.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        ConfigSource source = source(null);
        node = new SpillwayNode(source, ConfigLoader.load(source), List.of(slow), Map.of());
        Thread starter = new Thread(() -> {
            try {
                node.start();
            } catch (Exception e) {
                events.add("start failed " + e);
            }
        });
        starter.start();
        assertTrue(inStart.await(10, TimeUnit.SECONDS));
        node.shutdown("SIGTERM");
        assertEquals(NodeState.STARTING, node.state());
        release.countDown();
        assertTrue(node.awaitTermination(Duration.ofSeconds(10)), "a shutdown during start-up was lost");
        starter.join(10_000);
        assertEquals(List.of("start slow", "drain slow", "stop slow"), events);
    }

    @Test
    void reloadAppliesGoodConfigAndRefusesBadOne() throws Exception {
        Path file = dir.resolve("node.toml");
        Files.writeString(file, "[cluster.thresholds]\nmax_calls = 10\n");
        startNode(source(file), new RecordingComponent("cluster", false));

        Files.writeString(file, "[cluster.thresholds]\nmax_calls = 20\n[sip]\nudp_port = 5999\n");
        assertTrue(node.reload());
        assertEquals(20, node.config().cluster().thresholds().maxCalls());
        assertEquals(5060, node.config().sip().udpPort(), "restart-only change not applied");
        assertEquals(0, node.config().admin().listen().port(), "--set overrides survive a reload");
        assertTrue(events.contains("reload cluster 20"), events.toString());

        Files.writeString(file, "[cluster.thresholds]\nmax_calls = -1\n");
        assertFalse(node.reload());
        assertEquals(20, node.config().cluster().thresholds().maxCalls(), "bad reload kept the running config");
        String metrics = admin().get("/metrics").body();
        assertTrue(metrics.contains("spillway_config_reloads_total 1"), metrics);
        assertTrue(metrics.contains("spillway_config_reload_failures_total 1"), metrics);
    }
}
