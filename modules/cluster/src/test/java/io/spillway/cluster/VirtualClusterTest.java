package io.spillway.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The state machines without sockets: a long chain of {@link VirtualNode}s on a zero-delay FIFO
 * network with an injected clock. Deterministic, so exact datagram counts can be asserted.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class VirtualClusterTest {
    private static final long EPOCH_MS = 1_764_000_000_000L;

    private long nowNs;
    private final ArrayDeque<Object[]> network = new ArrayDeque<>();

    private List<VirtualNode> cluster(final int size, final int freeNodeId) throws Exception {
        final List<PeerSpec> sequence = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            final InetAddress ip = InetAddress.getByAddress(new byte[] {10, 1, (byte) (i >> 8), (byte) i});
            sequence.add(new PeerSpec(i + 1, new InetSocketAddress(ip, 5060), new InetSocketAddress(ip, 5070)));
        }
        final List<VirtualNode> nodes = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            final FakeWorkload workload = new FakeWorkload();
            workload.calls.set(i + 1 == freeNodeId ? 0 : 10);
            final DatagramSink sink = new DatagramSink() {
                @Override
                public ByteBufAllocator alloc() {
                    return UnpooledByteBufAllocator.DEFAULT;
                }

                @Override
                public void send(final ByteBuf datagram, final int destIndex, final InetSocketAddress destination) {
                    network.add(new Object[] {destIndex, datagram});
                }

                @Override
                public boolean isOpen() {
                    return true;
                }
            };
            nodes.add(VirtualNode.create(
                ClusterConfig.builder(i + 1, sequence, TestCluster.SECRET, ThresholdConfig.ofCalls(10))
                    .skipFullPeers(false).skipDeadPeers(false).build(),
                workload, () -> nowNs, () -> EPOCH_MS + nowNs / 1_000_000L, sink, DatagramFilter.NONE, 1 << 10));
        }
        return nodes;
    }

    private void drain(final List<VirtualNode> nodes) {
        for (Object[] next = network.poll(); next != null; next = network.poll()) {
            nowNs += 1_000;
            final ByteBuf datagram = (ByteBuf) next[1];
            nodes.get((Integer) next[0]).deliver(datagram);
            assertTrue(datagram.release());
        }
    }

    private static long sent(final List<VirtualNode> nodes) {
        return nodes.stream().mapToLong(n -> n.counters().get(ClusterCounter.DATAGRAMS_SENT)).sum();
    }

    @Test
    void chainLongerThan255NodesReachesTheLast() throws Exception {
        final int size = 300;
        final List<VirtualNode> nodes = cluster(size, size);
        final CompletableFuture<Placement> future = nodes.get(0).requestPlacement(CallDemand.NONE);
        drain(nodes);
        final Placement.Remote remote = assertInstanceOf(Placement.Remote.class, future.getNow(null));
        assertEquals(size, remote.nodeId());
        // CONNECT + ACK per hop, ACCEPT + ACK at the end.
        assertEquals(2L * (size - 1) + 2, sent(nodes));
        assertEquals(1, nodes.get(size - 1).reservedCalls());
    }

    @Test
    void allBusyAfterEveryNodeAndOriginDeadlineTicks() throws Exception {
        final int size = 50;
        final List<VirtualNode> nodes = cluster(size, -1);
        final CompletableFuture<Placement> future = nodes.get(10).requestPlacement(CallDemand.NONE);
        drain(nodes);
        assertEquals(new Placement.AllBusy(size - 1), future.getNow(null));
        assertEquals(1, nodes.get(9).counters().get(ClusterCounter.CONNECTS_ALL_BUSY));
        assertEquals(2L * (size - 1) + 2, sent(nodes));
    }

    @Test
    void lostConnectTimesOutAtTheOriginOnItsClock() throws Exception {
        final List<VirtualNode> nodes = cluster(3, 3);
        final CompletableFuture<Placement> future = nodes.get(0).requestPlacement(CallDemand.NONE);
        network.forEach(d -> ((ByteBuf) d[1]).release());
        network.clear(); // the network ate the CONNECT; nobody ticks the receivers
        nowNs += TimeUnit.MILLISECONDS.toNanos(ClusterConfig.DEFAULT_CHAIN_DEADLINE_MS);
        nodes.get(0).tick();
        network.forEach(d -> ((ByteBuf) d[1]).release());
        network.clear();
        assertInstanceOf(Placement.TimedOut.class, future.getNow(null));
        assertEquals(1, nodes.get(0).counters().get(ClusterCounter.PLACED_TIMED_OUT));
    }

    @Test
    void lateTickReportsTheOriginsTimeoutNotAllBusy() throws Exception {
        // Two nodes, the origin full, the free last node never answers (its CONNECT is lost).
        final List<VirtualNode> nodes = cluster(2, 2);
        final CompletableFuture<Placement> future = nodes.get(0).requestPlacement(CallDemand.NONE);
        network.forEach(d -> ((ByteBuf) d[1]).release());
        network.clear();
        // One tick long after both the hop's last-resort window and the origin's deadline (a starved
        // loop): the answer is what a timely tick gives, TimedOut, not AllBusy (which tells the
        // client every node is over threshold, though the last node was never heard).
        nowNs += 3 * TimeUnit.MILLISECONDS.toNanos(ClusterConfig.DEFAULT_CHAIN_DEADLINE_MS);
        nodes.get(0).tick();
        network.forEach(d -> ((ByteBuf) d[1]).release());
        network.clear();
        assertInstanceOf(Placement.TimedOut.class, future.getNow(null));
        assertEquals(0, nodes.get(0).counters().get(ClusterCounter.PLACED_ALL_BUSY));
    }
}
