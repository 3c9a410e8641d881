package io.spillway.cluster;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.ObjIntConsumer;
import java.util.function.IntFunction;

/**
 * Several {@link ClusterNode}s on loopback in one JVM, each with a {@link FakeWorkload}. Node ids
 * are 1..n, in sequence order.
 */
final class TestCluster implements AutoCloseable {
    static final byte[] SECRET = "0123456789abcdef-test-cluster-secret".getBytes(StandardCharsets.US_ASCII);

    final List<PeerSpec> sequence;
    final List<FakeWorkload> workloads = new ArrayList<>();
    final List<ClusterNode> nodes = new ArrayList<>();

    private TestCluster(final List<PeerSpec> sequence) {
        this.sequence = sequence;
    }

    /**
     * @param size number of nodes
     * @param host loopback address, "127.0.0.1" or "::1"
     * @param thresholds per node index
     * @param tune adjusts each node's config builder (given the node index)
     * @param filters per node index, may return null
     */
    static TestCluster start(final int size, final String host, final IntFunction<ThresholdConfig> thresholds,
                             final ObjIntConsumer<ClusterConfig.Builder> tune,
                             final IntFunction<DatagramFilter> filters) {
        final List<PeerSpec> sequence = sequence(size, host);
        final TestCluster cluster = new TestCluster(sequence);
        try {
            for (int i = 0; i < size; i++) {
                final ClusterConfig.Builder builder =
                    ClusterConfig.builder(i + 1, sequence, SECRET, thresholds.apply(i));
                tune.accept(builder, i);
                final FakeWorkload workload = new FakeWorkload();
                final ClusterNode.Builder nodeBuilder = ClusterNode.builder(builder.build(), workload);
                final DatagramFilter filter = filters.apply(i);
                if (filter != null) {
                    nodeBuilder.datagramFilter(filter);
                }
                cluster.workloads.add(workload);
                cluster.nodes.add(nodeBuilder.start());
            }
        } catch (final RuntimeException e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    static TestCluster start(final int size, final ThresholdConfig thresholds, final Consumer<ClusterConfig.Builder> tune) {
        return start(size, "127.0.0.1", i -> thresholds, (b, i) -> tune.accept(b), i -> null);
    }

    /** A sequence on free loopback ports (SIP ports are just labels here). */
    static List<PeerSpec> sequence(final int size, final String host) {
        final List<PeerSpec> sequence = new ArrayList<>();
        final List<DatagramSocket> holders = new ArrayList<>();
        try {
            final InetAddress address = InetAddress.getByName(host);
            for (int i = 0; i < size; i++) {
                final DatagramSocket socket = new DatagramSocket(new InetSocketAddress(address, 0));
                holders.add(socket);
                sequence.add(new PeerSpec(i + 1, new InetSocketAddress(address, 5060 + i),
                    new InetSocketAddress(address, socket.getLocalPort())));
            }
        } catch (final IOException e) {
            throw new IllegalStateException(e);
        } finally {
            holders.forEach(DatagramSocket::close);
        }
        return sequence;
    }

    ClusterNode node(final int id) {
        return nodes.get(id - 1);
    }

    FakeWorkload workload(final int id) {
        return workloads.get(id - 1);
    }

    /** Polls until the condition holds or the deadline passes. */
    static boolean await(final BooleanSupplier condition, final long timeoutMs) throws InterruptedException {
        final long deadlineNs = System.nanoTime() + timeoutMs * 1_000_000L;
        while (!condition.getAsBoolean()) {
            if (deadlineNs - System.nanoTime() < 0) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }


    @Override
    public void close() {
        for (final ClusterNode node : nodes) {
            node.close();
        }
    }
}
