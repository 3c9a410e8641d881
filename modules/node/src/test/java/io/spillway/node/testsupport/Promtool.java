package io.spillway.node.testsupport;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** Runs {@code promtool check metrics} (the Prometheus linter) on an exposition. */
public final class Promtool {
    public static final String PATH = "/usr/bin/promtool";

    private Promtool() {
    }

    /** The result: exit code and combined output. */
    public record Result(int exitCode, String output) {
    }

    public static Result checkMetrics(String exposition) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(PATH, "check", "metrics").redirectErrorStream(true).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(exposition.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("promtool did not finish in 30 s");
        }
        return new Result(p.exitValue(), out);
    }
}
