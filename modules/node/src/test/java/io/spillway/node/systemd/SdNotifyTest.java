package io.spillway.node.systemd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spillway.node.config.ConfigLoader;
import io.spillway.node.config.ConfigSource;
import io.spillway.node.config.NodeConfig;
import io.spillway.node.lifecycle.SpillwayNode;
import io.spillway.node.testsupport.FakeSystemd;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** sd_notify against a real unix datagram socket standing in for systemd. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SdNotifyTest {
    @TempDir
    Path dir;

    @Test
    void nodeSendsReadyWatchdogAndStopping() throws Exception {
        Path socket = dir.resolve("notify.sock");
        try (FakeSystemd systemd = new FakeSystemd(socket.toString())) {
            ConfigSource source = new ConfigSource(null, List.of("admin.listen=127.0.0.1:0", "media.event_loops=1"));
            NodeConfig config = ConfigLoader.load(source);
            Map<String, String> env = Map.of("NOTIFY_SOCKET", socket.toString(), "WATCHDOG_USEC", "200000");
            SpillwayNode node = new SpillwayNode(source, config, List.of(), env);
            try {
                node.start();
                String ready = systemd.await("READY=1", Duration.ofSeconds(10));
                assertTrue(ready.contains("STATUS=serving"), ready);
                assertTrue(ready.contains("MAINPID=" + ProcessHandle.current().pid()), ready);
                systemd.await("WATCHDOG=1", Duration.ofSeconds(10));
                systemd.await("WATCHDOG=1", Duration.ofSeconds(10));
            } finally {
                node.stop();
            }
            systemd.await("STOPPING=1", Duration.ofSeconds(10));
        }
    }

    @Test
    void withoutNotifySocketNothingIsSent() throws Exception {
        Path socket = dir.resolve("unused.sock");
        try (FakeSystemd systemd = new FakeSystemd(socket.toString());
             SdNotifier n = SdNotifier.fromEnvironment(Map.of("WATCHDOG_USEC", "100000"))) {
            assertFalse(n.isEnabled());
            assertEquals(Duration.ZERO, n.watchdogInterval());
            n.notify("READY=1");
            assertNull(systemd.poll(Duration.ofMillis(200)));
        }
    }

    @Test
    void watchdogForAnotherPidIsIgnored() {
        assertEquals(Duration.ofMillis(500), SdNotifier.watchdogInterval(Map.of("WATCHDOG_USEC", "500000")));
        assertEquals(Duration.ZERO, SdNotifier.watchdogInterval(Map.of("WATCHDOG_USEC", "500000", "WATCHDOG_PID", "1")));
    }

    @Test
    void abstractNamespaceSocket() throws Exception {
        String name = "spillway-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        try (FakeSystemd systemd = new FakeSystemd("\0" + name);
             SdNotifier n = SdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", "@" + name))) {
            assertTrue(n.isEnabled());
            n.notify("READY=1");
            systemd.await("READY=1", Duration.ofSeconds(10));
        }
    }
}
