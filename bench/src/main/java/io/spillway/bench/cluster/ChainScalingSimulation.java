package io.spillway.bench.cluster;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.spillway.cluster.CallDemand;
import io.spillway.cluster.ClusterConfig;
import io.spillway.cluster.ClusterCounter;
import io.spillway.cluster.DatagramFilter;
import io.spillway.cluster.DatagramSink;
import io.spillway.cluster.PeerSpec;
import io.spillway.cluster.Placement;
import io.spillway.cluster.ThresholdConfig;
import io.spillway.cluster.VirtualNode;
import io.spillway.cluster.WorkloadSource;
import io.spillway.cluster.protocol.HeaderFlyweight;
import io.spillway.cluster.protocol.MessageType;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

import org.HdrHistogram.Histogram;

/**
 * Discrete-event simulation of clusters far larger than this machine (64 to 1,000 nodes), built
 * on {@link VirtualNode}: the real codec (HMAC included), replay table, admission gate and
 * origin/hop state machines, with a simulated clock and network (one-way delay with jitter, a
 * per-datagram service time per node so bursts queue, seeded random loss, dead nodes). It shows
 * how decision time and datagram count grow with sequence length, load and loss, and what
 * heartbeat-based skipping buys and costs.
 *
 * <pre>
 * mvn -B -q -o -pl bench -am package -DskipTests
 * java -Xmx2g -cp bench/target/benchmarks.jar io.spillway.bench.cluster.ChainScalingSimulation
 * </pre>
 */
public final class ChainScalingSimulation {
    private static final byte[] SECRET = "simulation-cluster-secret-000001".getBytes(StandardCharsets.US_ASCII);
    private static final long LIMIT = 100;
    private static final long EPOCH_BASE_MS = 1_764_000_000_000L;
    private static final long SERVICE_NS = 5_000; // per datagram, ~HMAC verify + handling, measured order
    private static final int REPLAY_SLOTS = 1 << 12;

    /** Scenario knobs. */
    private record Scenario(String name, int nodes, double fullFraction, boolean worstCase, double loss,
                            double deadFraction, long oneWayNs, boolean skip, int placements) {
    }

    private record Result(Histogram decisionNs, double datagramsPerCall, int timedOut, int allBusy,
                          double heartbeatsPerNodePerSec, long simulatedMs) {
    }

    private static final int DELIVER = 0;
    private static final int TICK = 1;
    private static final int HEARTBEAT = 2;

    private static final class Event implements Comparable<Event> {
        final long timeNs;
        final long seq;
        final int kind;
        final int node;
        final ByteBuf datagram;

        Event(final long timeNs, final long seq, final int kind, final int node, final ByteBuf datagram) {
            this.timeNs = timeNs;
            this.seq = seq;
            this.kind = kind;
            this.node = node;
            this.datagram = datagram;
        }

        @Override
        public int compareTo(final Event o) {
            final int byTime = Long.compare(timeNs, o.timeNs);
            return byTime != 0 ? byTime : Long.compare(seq, o.seq);
        }
    }

    /** One simulated cluster. */
    private static final class Sim {
        final Scenario scenario;
        final Random random;
        final PriorityQueue<Event> queue = new PriorityQueue<>();
        final VirtualNode[] nodes;
        final boolean[] full;
        final boolean[] dead;
        final long[] busyUntilNs;
        final long heartbeatNs;
        final long tickNs;
        long nowNs;
        long seq;
        long heartbeatsSent;

        Sim(final Scenario scenario, final long seed) throws UnknownHostException {
            this.scenario = scenario;
            this.random = new Random(seed);
            final int n = scenario.nodes();
            final List<PeerSpec> sequence = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                final InetAddress ip = InetAddress.getByAddress(new byte[] {10, 0, (byte) (i >> 8), (byte) i});
                sequence.add(new PeerSpec(i + 1, new InetSocketAddress(ip, 5060), new InetSocketAddress(ip, 5070)));
            }
            full = new boolean[n];
            dead = new boolean[n];
            busyUntilNs = new long[n];
            if (scenario.worstCase()) {
                for (int i = 0; i < n - 1; i++) {
                    full[i] = true;
                }
            } else {
                for (int i = 0; i < n; i++) {
                    full[i] = random.nextDouble() < scenario.fullFraction();
                }
            }
            for (int i = 1; i < n - 1; i++) {
                dead[i] = random.nextDouble() < scenario.deadFraction();
            }
            nodes = new VirtualNode[n];
            final ByteBufAllocator alloc = UnpooledByteBufAllocator.DEFAULT;
            for (int i = 0; i < n; i++) {
                final int self = i;
                final ClusterConfig config = ClusterConfig.builder(i + 1, sequence, SECRET, ThresholdConfig.ofCalls(LIMIT))
                    .chainDeadlineMs(1_000).replayWindowMs(1_000).reservationTtlMs(10_000)
                    .heartbeatIntervalMs(1_000).peerDeadAfterMs(3_500)
                    .skipFullPeers(scenario.skip()).skipDeadPeers(scenario.skip()).build();
                final DatagramSink sink = new DatagramSink() {
                    @Override
                    public ByteBufAllocator alloc() {
                        return alloc;
                    }

                    @Override
                    public void send(final ByteBuf datagram, final int destIndex, final InetSocketAddress destination) {
                        if (HeaderFlyweight.type(datagram, datagram.readerIndex()) == MessageType.LOAD) {
                            heartbeatsSent++;
                        }
                        final long jitterNs = (long) (random.nextDouble() * scenario.oneWayNs() * 0.2);
                        schedule(nowNs + scenario.oneWayNs() + jitterNs, DELIVER, destIndex, datagram);
                    }

                    @Override
                    public boolean isOpen() {
                        return !dead[self];
                    }
                };
                final DatagramFilter filter = scenario.loss() > 0
                    ? DatagramFilter.randomDrop(scenario.loss(), seed * 1_000 + i) : DatagramFilter.NONE;
                nodes[i] = VirtualNode.create(config, WorkloadSource.ofCalls(full[i] ? LIMIT : 0), () -> nowNs,
                    () -> EPOCH_BASE_MS + nowNs / 1_000_000L, sink, filter, REPLAY_SLOTS);
            }
            heartbeatNs = 1_000_000_000L;
            tickNs = nodes[0].tickIntervalMs() * 1_000_000L;
            schedule(tickNs, TICK, -1, null);
            if (scenario.skip()) {
                for (int i = 0; i < n; i++) {
                    schedule((long) (random.nextDouble() * heartbeatNs), HEARTBEAT, i, null);
                }
            }
        }

        void schedule(final long timeNs, final int kind, final int node, final ByteBuf datagram) {
            queue.add(new Event(timeNs, seq++, kind, node, datagram));
        }

        /** Runs events until the future completes (or, with null, until {@code untilNs}). */
        void run(final CompletableFuture<Placement> future, final long untilNs) {
            while (!queue.isEmpty() && (future == null ? queue.peek().timeNs <= untilNs : !future.isDone())) {
                final Event e = queue.poll();
                nowNs = e.timeNs;
                switch (e.kind) {
                    case DELIVER -> deliver(e);
                    case TICK -> {
                        for (int i = 0; i < nodes.length; i++) {
                            if (!dead[i]) {
                                nodes[i].tick();
                            }
                        }
                        schedule(nowNs + tickNs, TICK, -1, null);
                    }
                    case HEARTBEAT -> {
                        if (!dead[e.node]) {
                            nodes[e.node].heartbeat();
                        }
                        schedule(nowNs + heartbeatNs, HEARTBEAT, e.node, null);
                    }
                    default -> throw new IllegalStateException("event " + e.kind);
                }
            }
            if (future == null) {
                nowNs = Math.max(nowNs, untilNs);
            }
        }

        private void deliver(final Event e) {
            final int node = e.node;
            if (dead[node]) {
                e.datagram.release();
                return;
            }
            // A node handles one datagram at a time: arrivals queue behind its service time.
            if (busyUntilNs[node] - nowNs > 0) {
                schedule(busyUntilNs[node], DELIVER, node, e.datagram);
                return;
            }
            busyUntilNs[node] = nowNs + SERVICE_NS;
            nodes[node].deliver(e.datagram);
            e.datagram.release();
        }

        long datagrams() {
            long total = 0;
            for (final VirtualNode node : nodes) {
                total += node.counters().get(ClusterCounter.DATAGRAMS_SENT)
                    + node.counters().get(ClusterCounter.DROPPED_BY_FILTER);
            }
            return total;
        }
    }

    private ChainScalingSimulation() {
    }

    static Result simulate(final Scenario scenario, final long seed) throws UnknownHostException {
        final Sim sim = new Sim(scenario, seed);
        if (scenario.skip()) {
            sim.run(null, 4_000_000_000L); // heartbeat rounds past peerDeadAfter: tables know who is full or dead
        }
        final long startNs = sim.nowNs;
        final Histogram decisions = new Histogram(1, 3_600_000_000_000L, 3);
        int timedOut = 0;
        int allBusy = 0;
        long overflowDatagrams = 0;
        int overflowed = 0;
        for (int p = 0; p < scenario.placements(); p++) {
            final int origin = pickOrigin(sim);
            final long sentBefore = sim.datagrams() - sim.heartbeatsSent;
            final long placedAtNs = sim.nowNs;
            final CompletableFuture<Placement> future = sim.nodes[origin].requestPlacement(CallDemand.NONE);
            sim.run(future, Long.MAX_VALUE);
            final Placement placement = future.join();
            decisions.recordValue(Math.max(1, sim.nowNs - placedAtNs));
            // Let stragglers (final ACKs, retransmissions) settle so they count for this call.
            sim.run(null, sim.nowNs + Math.max(1_000_000L, 4 * scenario.oneWayNs()));
            overflowDatagrams += sim.datagrams() - sim.heartbeatsSent - sentBefore;
            overflowed++;
            if (placement instanceof Placement.Remote remote) {
                sim.nodes[remote.nodeId() - 1].releaseReservation(remote.token());
            } else if (placement instanceof Placement.Local local) {
                sim.nodes[origin].releaseReservation(local.reservation().token());
            } else if (placement instanceof Placement.TimedOut) {
                timedOut++;
            } else {
                allBusy++;
            }
        }
        final long simulatedNs = sim.nowNs - startNs;
        // Over the whole run, warm-up included: heartbeats are periodic, the placement phase is short.
        final double heartbeatsPerNodePerSec = sim.nowNs == 0 ? 0
            : sim.heartbeatsSent / (double) scenario.nodes() / (sim.nowNs / 1e9);
        return new Result(decisions, overflowDatagrams / (double) Math.max(1, overflowed), timedOut, allBusy,
            heartbeatsPerNodePerSec, simulatedNs / 1_000_000L);
    }

    /** The origin is a full node (so every placement overflows); node 1 in the worst case. */
    private static int pickOrigin(final Sim sim) {
        if (sim.scenario.worstCase()) {
            return 0;
        }
        for (int attempt = 0; attempt < 10_000; attempt++) {
            final int i = sim.random.nextInt(sim.nodes.length);
            if (sim.full[i] && !sim.dead[i]) {
                return i;
            }
        }
        return 0;
    }

    public static void main(final String[] args) throws Exception {
        final long lan = 100_000;
        final long wan = 10_000_000;
        final List<Scenario> scenarios = new ArrayList<>();
        for (final int n : new int[] {64, 128, 256, 512, 1000}) {
            scenarios.add(new Scenario("worst case, LAN", n, 0, true, 0, 0, lan, false, 20));
        }
        for (final int n : new int[] {64, 128, 256}) {
            scenarios.add(new Scenario("worst case, WAN", n, 0, true, 0, 0, wan, false, 5));
        }
        for (final double f : new double[] {0.5, 0.9, 0.99}) {
            scenarios.add(new Scenario("random load, LAN", 1000, f, false, 0, 0, lan, false, 200));
        }
        for (final int n : new int[] {64, 256, 1000}) {
            scenarios.add(new Scenario("random load, LAN", n, 0.9, false, 0, 0, lan, true, 200));
        }
        for (final double loss : new double[] {0.01, 0.05, 0.2}) {
            scenarios.add(new Scenario("worst case, LAN", 256, 0, true, loss, 0, lan, false, 20));
        }
        for (final boolean skip : new boolean[] {false, true}) {
            scenarios.add(new Scenario("worst case, LAN", 256, 0, true, 0, 0.02, lan, skip, 20));
        }
        System.out.println("| scenario | nodes | full | loss | dead | skip (heartbeats) | placements | p50 ms | p99 ms "
            + "| max ms | datagrams/call | timed out | all busy | LOAD sent/node/s |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        for (final Scenario s : scenarios) {
            final long started = System.nanoTime();
            final Result r = simulate(s, 42);
            System.out.printf(Locale.ROOT,
                "| %s | %d | %s | %.0f%% | %.0f%% | %s | %d | %.2f | %.2f | %.2f | %.1f | %d | %d | %.0f |%n",
                s.name(), s.nodes(), s.worstCase() ? "all but last" : String.format(Locale.ROOT, "%.0f%%",
                    s.fullFraction() * 100), s.loss() * 100, s.deadFraction() * 100, s.skip() ? "on" : "off",
                s.placements(), ms(r.decisionNs(), 50), ms(r.decisionNs(), 99),
                r.decisionNs().getMaxValue() / 1e6, r.datagramsPerCall(), r.timedOut(), r.allBusy(),
                r.heartbeatsPerNodePerSec());
            System.err.printf(Locale.ROOT, "  (%s n=%d: %.1f s real, %d ms simulated)%n", s.name(), s.nodes(),
                (System.nanoTime() - started) / 1e9, r.simulatedMs());
        }
    }

    private static double ms(final Histogram histogram, final double percentile) {
        return histogram.getValueAtPercentile(percentile) / 1e6;
    }
}
