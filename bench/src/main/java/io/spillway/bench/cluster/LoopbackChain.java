package io.spillway.bench.cluster;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.spillway.cluster.ClusterConfig;
import io.spillway.cluster.ClusterCounter;
import io.spillway.cluster.ClusterNode;
import io.spillway.cluster.PeerSpec;
import io.spillway.cluster.Placement;
import io.spillway.cluster.ThresholdConfig;
import io.spillway.cluster.WorkloadSource;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A chain of real {@link ClusterNode}s on loopback, each on its own event loop (or all on one shared
 * loop): nodes 1..n-1 are
 * full, node n has room; placements start at node 1 and must travel the whole chain. Heartbeats
 * are effectively off so datagram counts are the chain's own.
 */
final class LoopbackChain implements AutoCloseable {
    private static final byte[] SECRET = "bench-loopback-chain-secret-0001".getBytes(StandardCharsets.US_ASCII);

    private final List<ClusterNode> nodes = new ArrayList<>();
    private final EventLoopGroup group;
    private final Class<? extends DatagramChannel> channelClass;

    LoopbackChain(final int length, final boolean skipFullPeers) throws IOException {
        this(length, skipFullPeers, false);
    }

    /**
     * @param sharedLoop run every node on one shared event-loop thread: no thread hand-off between
     *     hops, which on a shared 2-core machine isolates the protocol's cost from scheduling delay
     */
    LoopbackChain(final int length, final boolean skipFullPeers, final boolean sharedLoop) throws IOException {
        if (sharedLoop) {
            final boolean epoll = Epoll.isAvailable();
            group = new MultiThreadIoEventLoopGroup(1, epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
            channelClass = epoll ? EpollDatagramChannel.class : NioDatagramChannel.class;
        } else {
            group = null;
            channelClass = null;
        }
        final InetAddress loopback = InetAddress.getByName("127.0.0.1");
        final List<PeerSpec> sequence = new ArrayList<>();
        final List<DatagramSocket> holders = new ArrayList<>();
        for (int i = 0; i < length; i++) {
            final DatagramSocket socket = new DatagramSocket(new InetSocketAddress(loopback, 0));
            holders.add(socket);
            sequence.add(new PeerSpec(i + 1, new InetSocketAddress(loopback, 5060 + i),
                new InetSocketAddress(loopback, socket.getLocalPort())));
        }
        holders.forEach(DatagramSocket::close);
        final long limit = 1_000;
        for (int i = 0; i < length; i++) {
            final ClusterConfig config = ClusterConfig.builder(i + 1, sequence, SECRET, ThresholdConfig.ofCalls(limit))
                .heartbeatIntervalMs(skipFullPeers ? 50 : 3_600_000).peerDeadAfterMs(7_200_000)
                .skipFullPeers(skipFullPeers).build();
            final boolean full = i < length - 1;
            final ClusterNode.Builder builder = ClusterNode.builder(config, WorkloadSource.ofCalls(full ? limit : 0));
            if (group != null) {
                builder.eventLoopGroup(group, channelClass);
            }
            nodes.add(builder.start());
        }
    }

    /** Places one call from node 1 and gives the reservation back; returns the placement. */
    Placement placeAndRelease() throws Exception {
        final Placement placement = nodes.get(0).requestPlacement().get(10, TimeUnit.SECONDS);
        if (placement instanceof Placement.Remote remote) {
            nodes.get(remote.nodeId() - 1).releaseReservation(remote.token());
        } else if (placement instanceof Placement.Local local) {
            nodes.get(0).releaseReservation(local.reservation().token());
        } else {
            throw new IllegalStateException("unexpected placement " + placement);
        }
        return placement;
    }

    /** @return datagrams sent by all nodes so far */
    long datagramsSent() {
        long total = 0;
        for (final ClusterNode node : nodes) {
            total += node.counters().get(ClusterCounter.DATAGRAMS_SENT);
        }
        return total;
    }

    @Override
    public void close() {
        nodes.forEach(ClusterNode::close);
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
