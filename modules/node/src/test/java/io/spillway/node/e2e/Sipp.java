package io.spillway.node.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One SIPp process running one scenario from {@code src/test/resources/sipp} for a given number of
 * calls ({@code -m}), in its own working directory (its message and error traces land there and are
 * quoted when it fails). Always on loopback.
 */
final class Sipp implements AutoCloseable {
    static final String BINARY = "/usr/bin/sipp";

    private final Process process;
    private final Path dir;
    private final String scenario;

    private Sipp(Process process, Path dir, String scenario) {
        this.process = process;
        this.dir = dir;
        this.scenario = scenario;
    }

    static Path scenario(String name) {
        Path p = Paths.get("src/test/resources/sipp", name).toAbsolutePath();
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException("no SIPp scenario " + p);
        }
        return p;
    }

    /** A SIPp UAS on {@code sipPort} answering with media on {@code mediaPort}. */
    static Sipp uas(Path workDir, String scenario, int sipPort, int mediaPort) {
        return uas(workDir, scenario, sipPort, mediaPort, 1);
    }

    /** A SIPp UAS answering {@code calls} calls. */
    static Sipp uas(Path workDir, String scenario, int sipPort, int mediaPort, int calls) {
        return start(workDir, scenario, List.of("-sf", scenario(scenario).toString(), "-p", Integer.toString(sipPort),
            "-mp", Integer.toString(mediaPort), "-m", Integer.toString(calls)));
    }

    /** A SIPp UAC placing {@code calls} calls at {@code ratePerSec}, at most {@code concurrent} at once. */
    static Sipp uacMany(Path workDir, String scenario, int nodePort, String user, int sipPort, int mediaPort,
                        long pauseMs, int calls, int ratePerSec, int concurrent) {
        return start(workDir, scenario, List.of("127.0.0.1:" + nodePort, "-sf", scenario(scenario).toString(),
            "-s", user, "-p", Integer.toString(sipPort), "-mp", Integer.toString(mediaPort),
            "-d", Long.toString(pauseMs), "-m", Integer.toString(calls), "-r", Integer.toString(ratePerSec),
            "-l", Integer.toString(concurrent)));
    }

    /** A SIPp UAC calling {@code user} through the node at {@code nodePort}; {@code pauseMs} is -d. */
    static Sipp uac(Path workDir, String scenario, int nodePort, String user, int sipPort, int mediaPort,
                    long pauseMs) {
        return uacMany(workDir, scenario, nodePort, user, sipPort, mediaPort, pauseMs, 1, 10, 1);
    }

    /** A SIPp UAC running a REGISTER scenario for {@code user} against the node; extra args appended. */
    static Sipp register(Path workDir, String scenario, int nodePort, String user, int sipPort, String... extra) {
        List<String> args = new ArrayList<>(List.of("127.0.0.1:" + nodePort, "-sf", scenario(scenario).toString(),
            "-s", user, "-p", Integer.toString(sipPort), "-m", "1"));
        args.addAll(List.of(extra));
        return start(workDir, scenario, args);
    }

    private static Sipp start(Path workDir, String scenario, List<String> args) {
        try {
            Path dir = Files.createDirectories(workDir.resolve(scenario.replace(".xml", "")));
            List<String> cmd = new ArrayList<>();
            cmd.add(BINARY);
            cmd.addAll(args);
            cmd.addAll(List.of("-i", "127.0.0.1", "-mi", "127.0.0.1", "-nostdin", "-timeout", "60s",
                "-timeout_error", "-trace_err", "-trace_msg"));
            Process p = new ProcessBuilder(cmd).directory(dir.toFile())
                .redirectOutput(dir.resolve("stdout.txt").toFile())
                .redirectError(dir.resolve("stderr.txt").toFile())
                .start();
            return new Sipp(p, dir, scenario);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits for the exit; returns SIPp's exit code (0: every call succeeded), -1 on timeout. */
    int awaitExit(long timeoutMs) throws InterruptedException {
        if (!process.waitFor(timeoutMs, TimeUnit.MILLISECONDS)) {
            return -1;
        }
        return process.exitValue();
    }

    /** Asserts a successful exit, quoting SIPp's traces otherwise. */
    void assertSuccess(long timeoutMs) throws InterruptedException {
        int rc = awaitExit(timeoutMs);
        if (rc != 0) {
            throw new AssertionError("SIPp " + scenario + " exited with " + rc + "\n" + traces());
        }
    }

    /** The error and message traces (tail), for failure messages. */
    String traces() {
        StringBuilder sb = new StringBuilder();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                String text = Files.readString(f);
                sb.append("---- ").append(f.getFileName()).append('\n')
                    .append(text.length() > 6000 ? text.substring(text.length() - 6000) : text).append('\n');
            }
        } catch (IOException e) {
            sb.append("(traces unreadable: ").append(e).append(')');
        }
        return sb.toString();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
