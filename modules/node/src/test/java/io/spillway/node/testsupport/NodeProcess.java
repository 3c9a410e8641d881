package io.spillway.node.testsupport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A node started as its own process through {@code tools/spillway} (which needs {@code mvn package}
 * to have built {@code modules/node/target/lib}), with its stdout and stderr collected line by line.
 */
public final class NodeProcess implements AutoCloseable {
    private final Process process;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Thread reader;

    private NodeProcess(Process process) {
        this.process = process;
        this.reader = new Thread(this::readOutput, "node-process-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** The repository root, from the module directory that failsafe and surefire run in. */
    public static Path repoRoot() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isExecutable(p.resolve("tools/spillway")) && Files.isDirectory(p.resolve("modules/node"))) {
                return p;
            }
        }
        throw new IllegalStateException("no tools/spillway above " + dir);
    }

    /** Starts {@code tools/spillway <args>} with extra environment variables. */
    public static NodeProcess start(List<String> args, Map<String, String> env) throws IOException {
        Path root = repoRoot();
        if (!Files.isDirectory(root.resolve("modules/node/target/lib"))) {
            throw new IllegalStateException("modules/node/target/lib is missing: run `mvn package` first");
        }
        List<String> cmd = new ArrayList<>();
        // Signals ignored by this JVM's ancestors (nohup ignores HUP; a shell's background job
        // ignores INT) stay ignored across exec, and the JVM then never installs its handlers: the
        // node would silently skip SIGHUP reloads. Start it with default dispositions, as systemd does.
        cmd.addAll(List.of("env", "--default-signal=HUP,INT,TERM"));
        cmd.add(root.resolve("tools/spillway").toString());
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(root.toFile()).redirectErrorStream(true);
        pb.environment().remove("NOTIFY_SOCKET");
        pb.environment().remove("JOURNAL_STREAM");
        pb.environment().put("SPILLWAY_JAVA_OPTS", "-Xmx128m -XX:+UseSerialGC -XX:TieredStopAtLevel=1");
        pb.environment().putAll(env);
        return new NodeProcess(pb.start());
    }

    private void readOutput() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                lines.add(line);
            }
        } catch (IOException e) {
            lines.add("<output read failed: " + e + ">");
        }
    }

    public long pid() {
        return process.pid();
    }

    /** Every output line so far. */
    public List<String> output() {
        return List.copyOf(lines);
    }

    /** Waits until an output line contains {@code text}. */
    public String awaitLine(String text, Duration timeout) throws InterruptedException {
        long deadlineNs = System.nanoTime() + timeout.toNanos();
        while (deadlineNs - System.nanoTime() > 0) {
            for (String l : lines) {
                if (l.contains(text)) {
                    return l;
                }
            }
            if (!process.isAlive() && !reader.isAlive()) {
                break;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no output line containing '" + text + "' in " + timeout + "; output:\n"
            + String.join("\n", lines));
    }

    /** Sends a signal with {@code kill}. */
    public void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new AssertionError("kill -" + name + " " + process.pid() + " failed");
        }
    }

    /**
     * SIGTERM. Sent with {@code kill} rather than {@link Process#destroy()} (the same signal), because
     * {@code destroy()} also closes our end of the output pipe, and the test wants the last log lines.
     */
    public void terminate() throws IOException, InterruptedException {
        signal("TERM");
    }

    /** Waits for exit; returns the exit code, or throws if it did not exit in time. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("node did not exit in " + timeout + "; output:\n" + String.join("\n", lines));
        }
        reader.join(5000);
        return process.exitValue();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
