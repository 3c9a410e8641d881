package io.spillway.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spillway.node.testsupport.FreePorts;
import io.spillway.node.testsupport.NodeProcess;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A listener that cannot bind at start: the daemon exits 1 (start-up failed) and its log line names
 * the config key and the address, so an operator knows what to change.
 */
@Tag("slow")
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class BindFailureProcessIT {
    private static final Duration START = Duration.ofSeconds(60);
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    /** Every listener on its own free port; the test then points one of them at a taken port. */
    private static Map<String, String> freeListeners() {
        Map<String, String> sets = new HashMap<>();
        sets.put("sip.listen", "127.0.0.1");
        sets.put("sip.udp_port", Integer.toString(FreePorts.tcpAndUdp()));
        sets.put("sip.tcp_port", Integer.toString(FreePorts.tcpAndUdp()));
        sets.put("admin.listen", "127.0.0.1:" + FreePorts.tcpAndUdp());
        sets.put("cluster.control_listen", "127.0.0.1:" + FreePorts.tcpAndUdp());
        sets.put("ng.listen", "127.0.0.1:" + FreePorts.tcpAndUdp());
        sets.put("media.event_loops", "1");
        sets.put("lifecycle.watchdog", "false");
        return sets;
    }

    /** Starts a node with {@code key=value} over free listeners; asserts exit 1 and a line naming both. */
    private static void assertBindFailureNamed(String key, String value, String expected) throws Exception {
        assertBindFailureNamed(Map.of(key, value), expected);
    }

    /** As above with several settings over the free listeners. */
    private static void assertBindFailureNamed(Map<String, String> overrides, String expected) throws Exception {
        Map<String, String> sets = freeListeners();
        sets.putAll(overrides);
        List<String> args = new ArrayList<>(List.of("run"));
        sets.forEach((k, v) -> {
            args.add("--set");
            args.add(k + "=" + v);
        });
        try (NodeProcess node = NodeProcess.start(args, Map.of())) {
            assertEquals(1, node.awaitExit(START), "exit code for a bind failure\n" + String.join("\n", node.output()));
            String line = node.awaitLine("start-up failed", Duration.ofSeconds(1));
            assertTrue(line.contains(expected) && line.contains("Address already in use"), line);
        }
    }

    @Test
    void sipUdpPortTaken() throws Exception {
        try (DatagramSocket taken = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            int port = taken.getLocalPort();
            assertBindFailureNamed("sip.udp_port", Integer.toString(port),
                "cannot listen on sip.udp_port 127.0.0.1:" + port + " (sip.listen 127.0.0.1)");
        }
    }

    @Test
    void sipTcpPortTaken() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, LOOPBACK)) {
            int port = taken.getLocalPort();
            assertBindFailureNamed("sip.tcp_port", Integer.toString(port),
                "cannot listen on sip.tcp_port 127.0.0.1:" + port + " (sip.listen 127.0.0.1)");
        }
    }

    @Test
    void ngPortTaken() throws Exception {
        try (DatagramSocket taken = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            int port = taken.getLocalPort();
            assertBindFailureNamed(Map.of("ng.enabled", "true", "ng.listen", "127.0.0.1:" + port),
                "cannot listen on ng.listen 127.0.0.1:" + port);
        }
    }

    /** A standalone node binds its control socket on an OS-chosen port; with a peer it binds the configured one. */
    @Test
    void clusterControlPortTaken(@TempDir Path dir) throws Exception {
        Path secret = dir.resolve("cluster.key");
        Files.write(secret, new byte[32]);
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        try (DatagramSocket taken = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            int port = taken.getLocalPort();
            assertBindFailureNamed(Map.of("cluster.control_listen", "127.0.0.1:" + port,
                    "cluster.secret_file", secret.toString(), "cluster.peers.0.id", "peer-b",
                    "cluster.peers.0.sip", "127.0.0.1:" + FreePorts.tcpAndUdp(),
                    "cluster.peers.0.control", "127.0.0.1:" + FreePorts.tcpAndUdp()),
                "cannot listen on cluster.control_listen 127.0.0.1:" + port);
        }
    }

    @Test
    void adminPortTaken() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, LOOPBACK)) {
            int port = taken.getLocalPort();
            assertBindFailureNamed("admin.listen", "127.0.0.1:" + port, "cannot listen on admin.listen 127.0.0.1:" + port);
        }
    }
}
