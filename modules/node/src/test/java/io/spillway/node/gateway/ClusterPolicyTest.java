package io.spillway.node.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.spillway.cluster.ClusterConfig;
import io.spillway.cluster.ClusterCounter;
import io.spillway.cluster.ClusterNode;
import io.spillway.cluster.PeerSpec;
import io.spillway.cluster.ThresholdConfig;
import io.spillway.cluster.WorkloadSource;
import io.spillway.cluster.protocol.ControlCodec;
import io.spillway.cluster.protocol.HeaderFlyweight;
import io.spillway.cluster.protocol.LoadFlyweight;
import io.spillway.cluster.protocol.MessageType;
import io.spillway.node.config.ConfigLoader;
import io.spillway.node.config.ConfigSource;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The cluster control port behind the gateway's policy: a correctly signed datagram from an address
 * that is not a configured peer is dropped before its MAC is checked and counted as
 * {@code listener="cluster",reason="not_allowed"}; the same datagram from the peer's address is received.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClusterPolicyTest {
    private static final byte[] SECRET = "cluster-policy-test-secret".getBytes(StandardCharsets.US_ASCII);

    @Test
    void controlDatagramFromAnUnknownPeerIsDroppedAndCounted() throws Exception {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        try (DatagramSocket peer = new DatagramSocket(new InetSocketAddress(loopback, 0));
             DatagramSocket stranger = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0))) {
            Gateway gateway = new Gateway(ConfigLoader.load(new ConfigSource(null, List.of())).security(),
                List.of(loopback), System::nanoTime, System::currentTimeMillis);
            PeerSpec self = new PeerSpec(1, "a", new InetSocketAddress(loopback, 5060),
                new InetSocketAddress(loopback, io.spillway.node.testsupport.FreePorts.tcpAndUdp()));
            PeerSpec two = new PeerSpec(2, "b", new InetSocketAddress(loopback, 5062),
                (InetSocketAddress) peer.getLocalSocketAddress());
            WorkloadSource idle = new IdleWorkload();
            ClusterNode node = ClusterNode.builder(ClusterConfig.builder(1, List.of(self, two), SECRET,
                    ThresholdConfig.ofCalls(10)).heartbeatIntervalMs(60_000).peerDeadAfterMs(120_000).build(), idle)
                .sourceFilter(gateway.policy(GatewayListener.CLUSTER)::admit)
                .start();
            try {
                byte[] load = load();
                long before = node.counters().get(ClusterCounter.DATAGRAMS_RECEIVED);
                stranger.send(new DatagramPacket(load, load.length, node.localAddress()));
                await(() -> gateway.counters().drops(GatewayListener.CLUSTER, GatewayDropReason.NOT_ALLOWED) == 1);
                peer.send(new DatagramPacket(load, load.length, node.localAddress()));
                await(() -> node.counters().get(ClusterCounter.DATAGRAMS_RECEIVED) == before + 1);
                Thread.sleep(100);
                assertEquals(before + 1, node.counters().get(ClusterCounter.DATAGRAMS_RECEIVED),
                    "only the peer's datagram reached the protocol");
                assertEquals(1, gateway.counters().drops(GatewayListener.CLUSTER, GatewayDropReason.NOT_ALLOWED));
            } finally {
                node.close();
            }
        }
    }

    private static byte[] load() {
        ControlCodec codec = new ControlCodec(SECRET);
        ByteBuf buf = Unpooled.buffer();
        int base = codec.begin(buf, MessageType.LOAD, 0x0002_0000_0000_0001L, 2, 2, System.currentTimeMillis() * 1000);
        LoadFlyweight.put(buf, HeaderFlyweight.bodyIndex(base), 1, 0, 1000, 50, 0);
        codec.finish(buf, base);
        byte[] out = new byte[buf.readableBytes()];
        buf.readBytes(out);
        buf.release();
        return out;
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertTrue(deadline - System.nanoTime() > 0, "timed out");
            Thread.sleep(10);
        }
    }

    /** A node with no load. */
    private static final class IdleWorkload implements WorkloadSource {
        @Override
        public long activeCalls() {
            return 0;
        }

        @Override
        public long bandwidthBytesPerSec() {
            return 0;
        }

        @Override
        public long packetsPerSec() {
            return 0;
        }
    }
}
