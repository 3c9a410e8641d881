package io.spillway.bench.cluster;

import io.spillway.cluster.Placement;

import java.util.Locale;

import org.HdrHistogram.Histogram;

/**
 * Placement latency on loopback for chains of 1, 2, 4 and 8 nodes (all full but the last),
 * recorded in HdrHistogram, and the control datagrams each overflowed call costs. Runs each chain
 * with heartbeat skipping off (the CONNECT visits every full node) and on (the origin skips the
 * nodes its peers' LOAD heartbeats report full).
 *
 * <pre>
 * mvn -B -q -o -pl bench -am package -DskipTests
 * java -cp bench/target/benchmarks.jar io.spillway.bench.cluster.ChainLatencyRun [placements] [shared]
 * </pre>
 *
 * <p>With {@code shared}, every node runs on one event-loop thread: the figures then show the
 * protocol's own cost per hop without the thread hand-offs that several nodes on one shared
 * 2-core machine add (each real node has its own machine).
 */
public final class ChainLatencyRun {
    private ChainLatencyRun() {
    }

    public static void main(final String[] args) throws Exception {
        final int placements = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        final int warmup = Math.max(1_000, placements / 4);
        final boolean shared = args.length > 1 && "shared".equals(args[1]);
        System.out.println("event loops: " + (shared ? "one shared by all nodes" : "one per node"));
        System.out.println("| chain | skip full (heartbeats) | placements | p50 µs | p90 µs | p99 µs | p99.9 µs | max µs "
            + "| datagrams/call |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        for (final boolean skip : new boolean[] {false, true}) {
            for (final int length : new int[] {1, 2, 4, 8}) {
                try (LoopbackChain chain = new LoopbackChain(length, skip, shared)) {
                    if (skip) {
                        Thread.sleep(300); // let LOAD heartbeats tell node 1 who is full
                    }
                    for (int i = 0; i < warmup; i++) {
                        expectLast(chain.placeAndRelease(), length);
                    }
                    final Histogram histogram = new Histogram(1, 10_000_000_000L, 3);
                    final long sentBefore = chain.datagramsSent();
                    for (int i = 0; i < placements; i++) {
                        final long startNs = System.nanoTime();
                        final Placement placement = chain.placeAndRelease();
                        histogram.recordValue(System.nanoTime() - startNs);
                        expectLast(placement, length);
                    }
                    final double perCall = (chain.datagramsSent() - sentBefore) / (double) placements;
                    System.out.printf(Locale.ROOT, "| %d | %s | %d | %.1f | %.1f | %.1f | %.1f | %.1f | %.2f |%n",
                        length, skip ? "on" : "off", placements, us(histogram, 50), us(histogram, 90),
                        us(histogram, 99), us(histogram, 99.9), histogram.getMaxValue() / 1_000.0, perCall);
                }
            }
        }
    }

    private static double us(final Histogram histogram, final double percentile) {
        return histogram.getValueAtPercentile(percentile) / 1_000.0;
    }

    private static void expectLast(final Placement placement, final int length) {
        final int node = placement instanceof Placement.Remote remote ? remote.nodeId() : 1;
        if (node != length) {
            throw new IllegalStateException("expected node " + length + ", got " + placement);
        }
    }
}
