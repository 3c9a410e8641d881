package io.spillway.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spillway.node.cli.SpillwayCli;
import io.spillway.node.testsupport.AdminClient;
import io.spillway.node.testsupport.FakeSystemd;
import io.spillway.node.testsupport.FreePorts;
import io.spillway.node.testsupport.NodeProcess;
import io.spillway.node.testsupport.Promtool;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The real daemon as its own process, started the way an operator does: {@code tools/spillway run}.
 * Needs {@code mvn package} (failsafe runs after it in {@code mvn verify}).
 */
@Tag("slow")
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class NodeProcessIT {
    private static final Duration START = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private static List<String> runArgs(Path config, int adminPort, String... extra) {
        List<String> args = new ArrayList<>(List.of("run", "--config", config.toString(),
            "--set", "admin.listen=127.0.0.1:" + adminPort,
            "--set", "sip.udp_port=" + FreePorts.tcpAndUdp(),
            "--set", "sip.tcp_port=" + FreePorts.tcpAndUdp(),
            "--set", "cluster.control_listen=127.0.0.1:" + FreePorts.tcpAndUdp(),
            "--set", "ng.listen=127.0.0.1:" + FreePorts.tcpAndUdp(),
            "--set", "media.event_loops=1"));
        for (String e : extra) {
            args.add("--set");
            args.add(e);
        }
        return args;
    }

    @Test
    void servesReloadsDrainsAndStopsOnSigterm() throws Exception {
        Path config = dir.resolve("node.toml");
        Files.writeString(config, "[cluster]\nnode_id = \"it-1\"\n[cluster.thresholds]\nmax_calls = 10\n");
        int adminPort = FreePorts.tcpAndUdp();
        AdminClient admin = new AdminClient("127.0.0.1", adminPort);
        Path socket = dir.resolve("notify.sock");
        try (FakeSystemd systemd = new FakeSystemd(socket.toString());
             NodeProcess node = NodeProcess.start(runArgs(config, adminPort, "lifecycle.drain_timeout=20s"),
                 Map.of("NOTIFY_SOCKET", socket.toString(), "WATCHDOG_USEC", "2000000"))) {
            String ready = systemd.await("READY=1", START);
            assertTrue(ready.contains("MAINPID=" + node.pid()), "the launcher execs java: " + ready);
            systemd.await("WATCHDOG=1", Duration.ofSeconds(10));
            HttpResponse<String> health = admin.await("/health", r -> r.statusCode() == 200, START);
            assertTrue(health.body().contains("\"status\":\"serving\"") && health.body().contains("\"node_id\":\"it-1\""),
                health.body());
            node.awaitLine("INFO  [admin] listening on http 127.0.0.1:" + adminPort, Duration.ofSeconds(5));

            HttpResponse<String> metrics = admin.get("/metrics");
            assertEquals(200, metrics.statusCode());
            Promtool.Result lint = Promtool.checkMetrics(metrics.body());
            assertEquals(0, lint.exitCode(), lint.output() + "\n" + metrics.body());
            assertTrue(metrics.body().contains("process_open_fds "), metrics.body());

            // SIGHUP with a good file applies the new threshold...
            Files.writeString(config, "[cluster]\nnode_id = \"it-1\"\n[cluster.thresholds]\nmax_calls = 20\n");
            node.signal("HUP");
            admin.await("/config", r -> r.body().contains("cluster.thresholds.max_calls = 20"), Duration.ofSeconds(20));
            // ...and with a bad one is refused, keeping the running config.
            Files.writeString(config, "[cluster]\nnode_id = \"it-1\"\n[cluster.thresholds]\nmax_calls = \"many\"\n");
            node.signal("HUP");
            String refused = node.awaitLine("reload refused", Duration.ofSeconds(20));
            assertTrue(refused.contains("'cluster.thresholds.max_calls' = 'many'"), refused);
            assertTrue(admin.get("/config").body().contains("cluster.thresholds.max_calls = 20"));
            assertEquals(200, admin.get("/health").statusCode(), "still serving after a refused reload");

            assertEquals(0, cli("status", "--admin", "http://127.0.0.1:" + adminPort), "spillway status while serving");
            assertEquals(202, admin.post("/drain").statusCode());
            admin.await("/health", r -> r.statusCode() == 503 && r.body().contains("draining"), Duration.ofSeconds(10));
            assertEquals(1, cli("status", "--admin", "http://127.0.0.1:" + adminPort), "spillway status while draining");

            long sentNs = System.nanoTime();
            node.terminate();
            assertEquals(0, node.awaitExit(Duration.ofSeconds(30)), String.join("\n", node.output()));
            assertTrue(System.nanoTime() - sentNs < Duration.ofSeconds(20).toNanos(), "exceeded the drain time");
            node.awaitLine("INFO  [node] stopped", Duration.ofSeconds(1));
            systemd.await("STOPPING=1", Duration.ofSeconds(5));
        }
    }

    private static int cli(String... args) {
        CommandLine cli = SpillwayCli.commandLine();
        cli.setOut(new PrintWriter(new StringWriter()));
        return cli.execute(args);
    }

    @Test
    void badConfigExits78NamingTheKey() throws Exception {
        Path config = dir.resolve("node.toml");
        Files.writeString(config, "[media]\ntimeout = \"forever\"\n");
        try (NodeProcess node = NodeProcess.start(List.of("run", "--config", config.toString()), Map.of())) {
            assertEquals(78, node.awaitExit(START));
            String line = node.awaitLine("config key", Duration.ofSeconds(1));
            assertTrue(line.contains("'media.timeout' = 'forever'") && line.contains("duration with a unit"), line);
        }
    }
}
