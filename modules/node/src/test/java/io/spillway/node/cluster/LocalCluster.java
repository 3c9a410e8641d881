package io.spillway.node.cluster;

import io.spillway.cluster.ClusterConfig;
import io.spillway.node.config.ConfigLoader;
import io.spillway.node.config.ConfigSource;
import io.spillway.node.lifecycle.NodeComponent;
import io.spillway.node.lifecycle.SpillwayNode;
import io.spillway.node.overflow.ClusterComponent;
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
                  ClusterComponent cluster, FakeMedia media) {
        String sipHostPort() {
            return "127.0.0.1:" + sipPort;
        }
    }

    /** Faster heartbeats and dead-peer detection than production, same protocol. */
    static final UnaryOperator<ClusterConfig.Builder> FAST = b -> b.heartbeatIntervalMs(200).peerDeadAfterMs(1_000);

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
                all.addAll(List.of(sets));
                ConfigSource source = new ConfigSource(file, all);
                FakeMedia media = new FakeMedia();
                ClusterComponent cluster = new ClusterComponent(() -> media, tuning, 60_000);
                List<NodeComponent> components = new ArrayList<>();
                components.add(cluster);
                components.addAll(extraComponents.apply(i, cluster));
                SpillwayNode node = new SpillwayNode(source, ConfigLoader.load(source), components, Map.of());
                node.start();
                members.add(new Member(id, sip[i], control[i], file, node, cluster, media));
            }
        } catch (Exception | Error e) {
            close();
            throw e;
        }
    }

    LocalCluster(Path dir, long[] maxCalls, UnaryOperator<ClusterConfig.Builder> tuning) throws Exception {
        this(dir, maxCalls, tuning, (i, c) -> List.of());
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
