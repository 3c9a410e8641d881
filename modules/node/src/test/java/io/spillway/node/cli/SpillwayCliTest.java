package io.spillway.node.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The CLI in-process: exit codes and messages. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SpillwayCliTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int execute(String... args) {
        CommandLine cli = SpillwayCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void runWithBadSetExits78NamingKeyValueAndProblem() {
        assertEquals(78, execute("run", "--set", "sip.udp_port=99999"));
        assertEquals("spillway: config key 'sip.udp_port' = '99999': must be 0-65535\n",
            err.toString().replace("\r", ""));
    }

    @Test
    void runWithUnknownKeyInFileExits78() throws Exception {
        Path f = dir.resolve("bad.toml");
        Files.writeString(f, "[admin]\nlisten = \"127.0.0.1:8080\"\ntoken = \"x\"\n");
        assertEquals(78, execute("run", "--config", f.toString()));
        assertTrue(err.toString().contains("'admin.token' = 'x': unknown key in [admin]"), err.toString());
    }

    @Test
    void runWithUnresolvablePeerExits78NamingTheKey() throws Exception {
        // Only found when the cluster config is mapped at start (addresses resolve then), not at load.
        Path key = dir.resolve("cluster.key");
        Files.writeString(key, "cli-test-cluster-key-0123456789\n");
        int code = execute("run", "--set", "admin.listen=127.0.0.1:0", "--set", "sip.udp_port=0",
            "--set", "sip.tcp_port=0", "--set", "ng.listen=127.0.0.1:0", "--set", "cluster.node_id=a",
            "--set", "cluster.control_listen=127.0.0.1:0", "--set", "cluster.secret_file=" + key,
            "--set", "cluster.peers.0.id=b", "--set", "cluster.peers.0.sip=no-such-host.invalid:5060",
            "--set", "cluster.peers.0.control=127.0.0.1:5071");
        assertEquals(78, code, err.toString());
        assertTrue(err.toString().contains("'cluster.peers.0.sip'"), err.toString());
    }

    @Test
    void checkConfigAcceptsTheShippedExamples() throws Exception {
        Path shipped = io.spillway.node.testsupport.NodeProcess.repoRoot().resolve("tools/conf");
        Files.writeString(dir.resolve("cluster.key"), "test-key-not-shipped\n");
        assertEquals(0, execute("check-config", shipped.resolve("single.toml").toString()), err.toString());
        for (String node : new String[] {"a", "b", "c"}) {
            Path copy = Files.copy(shipped.resolve("cluster-3node/" + node + ".toml"), dir.resolve(node + ".toml"));
            out.getBuffer().setLength(0);
            int code = execute("check-config", "--print", copy.toString());
            assertEquals(0, code, node + ": " + err);
            assertTrue(out.toString().contains("cluster.node_id = " + node), out.toString());
            assertTrue(out.toString().contains("cluster.secret_file = ") && out.toString().contains("(redacted)"));
        }
    }

    @Test
    void checkConfigRejectsBadFile() throws Exception {
        Path f = dir.resolve("bad.toml");
        Files.writeString(f, "[media]\nport_min = 30001\n");
        assertEquals(78, execute("check-config", f.toString()));
        assertTrue(err.toString().contains("'media.port_min' = '30001'"), err.toString());
        assertEquals(78, execute("check-config", dir.resolve("missing.toml").toString()));
    }

    @Test
    void statusWithoutNodeIsUnavailable() {
        int port = io.spillway.node.testsupport.FreePorts.tcpAndUdp();
        assertEquals(69, execute("status", "--admin", "http://127.0.0.1:" + port));
        assertTrue(err.toString().contains("cannot reach the admin API"), err.toString());
    }

    @Test
    void versionAndHelp() {
        assertEquals(0, execute("version"));
        assertTrue(out.toString().startsWith("spillway "), out.toString());
        for (String cmd : new String[] {"run", "check-config", "status", "calls", "drain", "version"}) {
            assertEquals(0, execute(cmd, "--help"), cmd);
        }
        assertTrue(out.toString().contains("--set"), out.toString());
        assertEquals(2, execute("run", "--no-such-option"));
    }
}
