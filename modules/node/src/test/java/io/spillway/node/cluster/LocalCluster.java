package io.spillway.node.cluster;

import io.spillway.cluster.ClusterConfig;
import io.spillway.cluster.WorkloadSource;
import io.spillway.node.call.MediaAnchorComponent;
import io.spillway.node.config.NodeConfig;
import io.spillway.node.config.ConfigLoader;
import io.spillway.node.config.ConfigSource;
import io.spillway.node.lifecycle.NodeComponent;
import io.spillway.node.lifecycle.SpillwayNode;
import io.spillway.node.ng.NgControlComponent;
import io.spillway.node.overflow.ClusterComponent;
import io.spillway.node.overflow.RelayWorkload;
import io.spillway.node.registrar.RegistrarComponent;
import io.spillway.node.sip.SipComponent;
import io.spillway.node.testsupport.FreePorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;

/**
 * Several in-process nodes forming one cluster on loopback: each a {@link SpillwayNode} with its own
 * config file (thresholds, so SIGHUP-style reloads work), distinct ports from {@link FreePorts}, one
 * shared key, and the same priority sequence {@code n1, n2, ...}.
 */
final class LocalCluster implements AutoCloseable {
    /** One node of the cluster. */
    record Member(String id, int sipPort, int controlPort, Path configFile, SpillwayNode node,
                  ClusterComponent cluster, FakeMedia media, MediaAnchorComponent relay, NgControlComponent ng) {
        String sipHostPort() {
            return "127.0.0.1:" + sipPort;
        }
    }

    /** Faster heartbeats and dead-peer detection than production, same protocol. */
    static final UnaryOperator<ClusterConfig.Builder> FAST = b -> b.heartbeatIntervalMs(200).peerDeadAfterMs(1_000);

    /** Relay ports: 400 per node from a random even base in 20000-26000, below other suites' ranges. */
    private final int clusterMediaBase = 20_000 + 2 * java.util.concurrent.ThreadLocalRandom.current().nextInt(3_000);

    private final List<Member> members = new ArrayList<>();

    /**
     * @param maxCalls each node's {@code cluster.thresholds.max_calls}; its length is the cluster size
     * @param tuning protocol timers
     * @param extraComponents more components per node, started after the cluster component
     * @param sets extra {@code --set} overrides for every node
     */
    LocalCluster(Path dir, long[] maxCalls, UnaryOperator<ClusterConfig.Builder> tuning,
                 BiFunction<Integer, ClusterComponent, List<NodeComponent>> extraComponents, String... sets)
        throws Exception {
        this(dir, maxCalls, tuning, false, extraComponents, sets);
    }

    /**
     * @param withSip each node also runs the media relay with anchoring, the registrar and the SIP proxy
     *     asking the cluster (as {@code NodeAssembly} does); the cluster's workload is the relay's plus
     *     the test's {@link FakeMedia}
     */
    LocalCluster(Path dir, long[] maxCalls, UnaryOperator<ClusterConfig.Builder> tuning, boolean withSip,
                 BiFunction<Integer, ClusterComponent, List<NodeComponent>> extraComponents, String... sets)
        throws Exception {
        Path key = dir.resolve("cluster.key");
        Files.writeString(key, "local-cluster-test-key-0123456789\n");
        int n = maxCalls.length;
        int[] sip = new int[n];
        int[] control = new int[n];
        for (int i = 0; i < n; i++) {
            sip[i] = FreePorts.tcpAndUdp();
            control[i] = FreePorts.tcpAndUdp();
        }
        try {
            for (int i = 0; i < n; i++) {
                String id = "n" + (i + 1);
                Path file = dir.resolve(id + ".toml");
                writeThresholds(file, maxCalls[i]);
                List<String> all = new ArrayList<>(List.of("admin.listen=127.0.0.1:0", "media.event_loops=1",
                    "sip.udp_port=" + sip[i], "sip.tcp_port=" + sip[i], "cluster.node_id=" + id,
                    "cluster.control_listen=127.0.0.1:" + control[i], "cluster.secret_file=" + key,
                    "ng.listen=127.0.0.1:0"));
                for (int p = 0; p < n; p++) {
                    all.add("cluster.peers." + p + ".id=n" + (p + 1));
                    all.add("cluster.peers." + p + ".sip=127.0.0.1:" + sip[p]);
                    all.add("cluster.peers." + p + ".control=127.0.0.1:" + control[p]);
                }
                int mediaBase = clusterMediaBase + 400 * i;
                all.add("media.port_min=" + mediaBase);
                all.add("media.port_max=" + (mediaBase + 399));
                all.addAll(List.of(sets));
                ConfigSource source = new ConfigSource(file, all);
                NodeConfig config = ConfigLoader.load(source);
                FakeMedia media = new FakeMedia();
                List<NodeComponent> components = new ArrayList<>();
                MediaAnchorComponent relay = null;
                NgControlComponent ng = null;
                ClusterComponent cluster;
                if (withSip) {
                    relay = new MediaAnchorComponent(config.media(), false);
                    RegistrarComponent registrar = new RegistrarComponent(config);
                    WorkloadSource relayed = new RelayWorkload(relay::engine);
                    cluster = new ClusterComponent(() -> sum(media, relayed), tuning, 60_000);
                    SipComponent sipComponent = new SipComponent(relay.mediaHook(), registrar.locationService(),
                        registrar.registrar()).overflow(cluster::policy);
                    sipComponent.hostResolver(host -> {
                        throw new java.net.UnknownHostException(host + " (tests resolve no names)");
                    });
                    sipComponent.dropFilter(d -> !d.address().getAddress().isLoopbackAddress());
                    components.add(relay);
                    components.add(registrar);
                    components.add(cluster);
                    if (config.ng().enabled()) {
                        ng = new NgControlComponent(relay::engine, cluster::overThreshold);
                        components.add(ng);
                    }
                    components.addAll(extraComponents.apply(i, cluster));
                    components.add(sipComponent);
                } else {
                    cluster = new ClusterComponent(() -> media, tuning, 60_000);
                    components.add(cluster);
                    components.addAll(extraComponents.apply(i, cluster));
                }
                SpillwayNode node = new SpillwayNode(source, config, components, Map.of());
                node.start();
                members.add(new Member(id, sip[i], control[i], file, node, cluster, media, relay, ng));
            }
        } catch (Exception | Error e) {
            close();
            throw e;
        }
    }

    LocalCluster(Path dir, long[] maxCalls, UnaryOperator<ClusterConfig.Builder> tuning) throws Exception {
        this(dir, maxCalls, tuning, (i, c) -> List.of());
    }

    /** The test's pretend calls plus the relay's real ones. */
    private static WorkloadSource sum(WorkloadSource a, WorkloadSource b) {
        return new WorkloadSource() {
            @Override
            public long activeCalls() {
                return a.activeCalls() + b.activeCalls();
            }

            @Override
            public long bandwidthBytesPerSec() {
                return a.bandwidthBytesPerSec() + b.bandwidthBytesPerSec();
            }

            @Override
            public long packetsPerSec() {
                return a.packetsPerSec() + b.packetsPerSec();
            }
        };
    }

    static void writeThresholds(Path file, long maxCalls) throws IOException {
        Files.writeString(file, "[cluster.thresholds]\nmax_calls = " + maxCalls + "\nhysteresis_percent = 0\n");
    }

    Member member(int index) {
        return members.get(index);
    }

    int size() {
        return members.size();
    }

    /** Waits until every running node has heard a LOAD from every other running node. */
    void awaitMesh(long timeoutMs) throws InterruptedException {
        long deadlineNs = System.nanoTime() + timeoutMs * 1_000_000L;
        while (deadlineNs - System.nanoTime() > 0) {
            boolean all = true;
            for (Member m : members) {
                all &= m.cluster().clusterNode().peers().stream().allMatch(p -> p.alive() && p.lastLoad() != null);
            }
            if (all) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the nodes did not all hear each other within " + timeoutMs + " ms");
    }

    @Override
    public void close() {
        for (Member m : members) {
            m.node().stop();
        }
    }
}
