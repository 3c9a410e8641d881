package io.spillway.node.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * One SIPp process bound to 127.0.0.1, running a scenario from {@code src/test/resources/sipp/} (or
 * any test resource named by an absolute path such as {@code /kamailio/uac-pcap.xml}), with
 * {@code -trace_stat -trace_err} files in its own directory. Build with {@link #uac} or {@link #uas},
 * add arguments, {@link #start()}, then {@link #awaitExit}. {@link #close()} kills it if still running.
 *
 * <p>Exit codes (SIPp): 0 every call succeeded, 1 at least one call failed, 97 exit on internal
 * command, 99 normal exit without calls processed, -1/255 fatal error.
 */
public final class Sipp implements AutoCloseable {
    private final List<String> args = new ArrayList<>();
    private final Path dir;
    private final String scenario;
    private final int port;
    private String timeout = "30s";
    private Process process;

    private Sipp(String scenario, String host, int port) {
        this.scenario = scenario;
        this.port = port;
        try {
            this.dir = Files.createTempDirectory("sipp-" + Path.of(scenario).getFileName().toString()
                .replace(".xml", "") + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        args.add("sipp");
        args.add("-sf");
        args.add(scenarioPath(scenario).toString());
        args.add("-i");
        args.add(host);
        args.add("-p");
        args.add(Integer.toString(port));
        args.add("-nostdin");
        args.add("-trace_stat");
        args.add("-trace_err");
        args.add("-timeout_error");
    }

    private static Path scenarioPath(String name) {
        try {
            String resource = name.startsWith("/") ? name : "/sipp/" + name;
            var url = Sipp.class.getResource(resource);
            if (url == null) {
                throw new IllegalArgumentException("no scenario src/test/resources" + resource);
            }
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A UAC on a free port sending to {@code target}, stopping after {@code calls} calls. */
    public static Sipp uac(String scenario, InetSocketAddress target, int calls) {
        return uac(scenario, "127.0.0.1", FreePorts.tcpAndUdp(), target, calls);
    }

    /** A UAC bound to {@code host:port} (e.g. {@code ::1}) sending to {@code target}, stopping after {@code calls}. */
    public static Sipp uac(String scenario, String host, int port, InetSocketAddress target, int calls) {
        Sipp s = new Sipp(scenario, host, port);
        s.args.add("-m");
        s.args.add(Integer.toString(calls));
        String targetHost = target.getAddress().getHostAddress();
        s.target = (targetHost.indexOf(':') >= 0 ? "[" + targetHost + "]" : targetHost) + ":" + target.getPort();
        return s;
    }

    /** A UAS on a free port, stopping after {@code calls} calls. */
    public static Sipp uas(String scenario, int calls) {
        return uas(scenario, "127.0.0.1", FreePorts.tcpAndUdp(), calls);
    }

    /** A UAS bound to {@code host:port} (e.g. {@code ::1}), stopping after {@code calls} calls. */
    public static Sipp uas(String scenario, String host, int port, int calls) {
        Sipp s = new Sipp(scenario, host, port);
        s.args.add("-m");
        s.args.add(Integer.toString(calls));
        return s;
    }

    private String target;

    /** Extra SIPp arguments ({@code "-r", "100"}, {@code "-lost", "10"}, {@code "-s", "1000"}). */
    public Sipp with(String... more) {
        args.addAll(List.of(more));
        return this;
    }

    /** SIPp's own {@code -timeout} for the whole run (default 30 s); with {@code -timeout_error} it fails the run. */
    public Sipp timeout(Duration limit) {
        this.timeout = limit.toSeconds() + "s";
        return this;
    }

    public int port() {
        return port;
    }

    /** The SIP URI host:port this SIPp listens on. */
    public String hostPort() {
        return "127.0.0.1:" + port;
    }

    public Sipp start() throws IOException {
        List<String> cmd = new ArrayList<>(args);
        cmd.add("-timeout");
        cmd.add(timeout);
        if (target != null) {
            cmd.add(target);
        }
        process = new ProcessBuilder(cmd).directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("screen.log").toFile())
            .start();
        return this;
    }

    /** Waits for SIPp to exit and returns its exit code; fails the test when it does not exit in time. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("SIPp " + scenario + " did not exit in " + timeout + "\n" + report());
        }
        return process.exitValue();
    }

    /** Waits for the exit and fails the test, quoting SIPp's logs, unless every call succeeded (exit 0). */
    public void assertSuccess(Duration timeout) throws InterruptedException {
        int rc = awaitExit(timeout);
        if (rc != 0) {
            throw new AssertionError("SIPp " + scenario + " exited with " + rc + "\n" + report());
        }
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** The last line of the -trace_stat CSV as column name to value. */
    public java.util.Map<String, String> lastStats() {
        try (Stream<Path> files = Files.list(dir)) {
            Path csv = files.filter(p -> p.getFileName().toString().endsWith(".csv")
                && !p.getFileName().toString().contains("_rtt")).findFirst().orElse(null);
            if (csv == null) {
                return java.util.Map.of();
            }
            List<String> lines = Files.readAllLines(csv, StandardCharsets.ISO_8859_1);
            String[] names = lines.get(0).split(";");
            String[] values = lines.get(lines.size() - 1).split(";");
            java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
            for (int i = 0; i < Math.min(names.length, values.length); i++) {
                out.put(names[i], values[i]);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A cumulative counter from the stats CSV (e.g. {@code SuccessfulCall(C)}), or -1. */
    public long stat(String column) {
        String v = lastStats().get(column);
        return v == null ? -1 : Long.parseLong(v.trim());
    }

    /** The directory with SIPp's logs. */
    public Path dir() {
        return dir;
    }

    /** Screen output and error log, for assertion messages. */
    public String report() {
        StringBuilder sb = new StringBuilder("--- SIPp ").append(scenario).append(" in ").append(dir).append('\n');
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.filter(p -> p.toString().endsWith(".log")).collect(Collectors.toList())) {
                String text = Files.readString(p, StandardCharsets.ISO_8859_1);
                if (text.length() > 6000) {
                    text = text.substring(text.length() - 6000);
                }
                sb.append("--- ").append(p.getFileName()).append('\n').append(text).append('\n');
            }
        } catch (IOException e) {
            sb.append(e);
        }
        return sb.toString();
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }
}
