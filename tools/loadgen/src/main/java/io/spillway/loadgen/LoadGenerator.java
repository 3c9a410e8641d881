package io.spillway.loadgen;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Command line of the load generator.
 *
 * <pre>
 * java -jar tools/loadgen/target/spillway-loadgen.jar --ng 127.0.0.1:2223 --sessions 350 \
 *     --pps-per-stream 100 --duration 30s --payload 160 [--aggregate-pps R] [--json]
 * </pre>
 *
 * Exit status: 0 when the run completed and the generator kept its rate, 3 when it fell behind its
 * own schedule, 1 on a set-up failure, 2 on bad arguments.
 */
@Command(name = "spillway-loadgen", mixinStandardHelpOptions = true,
    description = "Sets calls up over an ng control port and drives RTP through the relay at a fixed rate.")
public final class LoadGenerator implements Callable<Integer> {

    @Option(names = "--ng", description = "ng control port host:port (IPv6 as [::1]:2223)")
    String ng;

    @Option(names = "--baseline", description = "no relay: endpoints send to each other directly")
    boolean baseline;

    @Option(names = "--sessions", required = true, description = "calls to set up (2 streams each)")
    int sessions;

    @Option(names = "--pps-per-stream", defaultValue = "50", description = "packets/s per stream (default 50)")
    double ppsPerStream;

    @Option(names = "--aggregate-pps", description = "total packets/s over all streams (overrides --pps-per-stream)")
    Double aggregatePps;

    @Option(names = "--duration", defaultValue = "30s", description = "measured sending time (e.g. 30s)")
    String duration;

    @Option(names = "--warmup", defaultValue = "2s", description = "unmeasured sending time first (default 2s)")
    String warmup;

    @Option(names = "--drain", defaultValue = "1s", description = "wait for stragglers after sending (default 1s)")
    String drain;

    @Option(names = "--payload", defaultValue = "160", description = "RTP payload bytes (default 160: G.711 20 ms)")
    int payload;

    @Option(names = "--json", description = "print JSON instead of the summary")
    boolean json;

    @Option(names = "--shared-socket", description = "one local socket for every party, calls set up asymmetric"
        + " (fewer syscalls in the generator; the relay still uses its own ports per leg)")
    boolean sharedSocket;

    @Option(names = "--send-batch-us", defaultValue = "100", description = "shared-socket mode: the sender wakes at"
        + " most this often and sends everything due in one sendmmsg (default 100 us; adds up to that much send lag)")
    long sendBatchUs;

    @Override
    public Integer call() throws Exception {
        if (baseline == (ng != null)) {
            throw new CommandLine.ParameterException(new CommandLine(this), "give exactly one of --ng or --baseline");
        }
        double rate = aggregatePps != null ? aggregatePps : ppsPerStream * sessions * 2;
        LoadConfig config = new LoadConfig(baseline ? null : parseHostPort(ng), sessions, rate,
            LoadConfig.parseDurationNs(duration), LoadConfig.parseDurationNs(warmup), LoadConfig.parseDurationNs(drain),
            payload, json, sharedSocket);
        LoadReport report;
        int deleted;
        if (config.sharedSocket()) {
            InetSocketAddress local = new InetSocketAddress(config.ng() == null
                || config.ng().getAddress().getAddress().length == 4 ? "127.0.0.1" : "::1", 0);
            if (sendBatchUs < 1 || sendBatchUs > 10_000) {
                throw new IllegalArgumentException("--send-batch-us must be in [1, 10000]");
            }
            try (EpollLoadRun run = new EpollLoadRun(local, sendBatchUs * 1_000L);
                 LoadCalls calls = LoadCalls.open(config, run.localAddress())) {
                try {
                    report = run.run(config, calls);
                } finally {
                    deleted = calls.viaRelay() ? calls.deleteAll() : 0;
                }
            }
        } else {
            try (LoadCalls calls = LoadCalls.open(config)) {
                try {
                    report = new LoadRun(config, calls).run();
                } finally {
                    deleted = calls.viaRelay() ? calls.deleteAll() : 0;
                }
            }
        }
        System.out.print(json ? report.json() + "\n" : report.human());
        if (!json && config.ng() != null) {
            System.out.println("  deleted     " + deleted + " of " + sessions + " sessions");
        }
        return report.keptRate() ? 0 : 3;
    }

    static InetSocketAddress parseHostPort(String text) throws java.net.UnknownHostException {
        int colon = text.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("--ng needs host:port: " + text);
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new InetSocketAddress(InetAddress.getByName(host), Integer.parseInt(text.substring(colon + 1)));
    }

    /** Entry point. */
    public static void main(String[] args) {
        CommandLine cli = new CommandLine(new LoadGenerator());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            System.err.println("spillway-loadgen: " + e.getMessage());
            return e instanceof IllegalArgumentException ? 2 : 1;
        });
        System.exit(cli.execute(args));
    }
}
