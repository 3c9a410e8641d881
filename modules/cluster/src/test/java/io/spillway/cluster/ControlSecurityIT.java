package io.spillway.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.spillway.cluster.protocol.AcceptFlyweight;
import io.spillway.cluster.protocol.AckFlyweight;
import io.spillway.cluster.protocol.ConnectFlyweight;
import io.spillway.cluster.protocol.ControlCodec;
import io.spillway.cluster.protocol.HeaderFlyweight;
import io.spillway.cluster.protocol.LoadFlyweight;
import io.spillway.cluster.protocol.MessageType;
import io.spillway.cluster.protocol.ReleaseFlyweight;
import io.spillway.cluster.protocol.ReservationToken;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One real node; the test's own socket plays node 2 and sends hand-made datagrams: forged, stale,
 * replayed, from the wrong secret, and legitimate retransmissions.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ControlSecurityIT {
    private static final long WINDOW_MS = 5_000;

    private DatagramSocket peer;
    private ClusterNode node;
    private FakeWorkload workload;
    private InetSocketAddress nodeAddress;
    private final ControlCodec codec = new ControlCodec(TestCluster.SECRET);

    @BeforeEach
    void start() throws Exception {
        final InetAddress loopback = InetAddress.getByName("127.0.0.1");
        peer = new DatagramSocket(new InetSocketAddress(loopback, 0));
        peer.setSoTimeout(200);
        final PeerSpec self = TestCluster.sequence(1, "127.0.0.1").get(0);
        final List<PeerSpec> sequence = List.of(self,
            new PeerSpec(2, new InetSocketAddress(loopback, 5062), (InetSocketAddress) peer.getLocalSocketAddress()));
        workload = new FakeWorkload();
        node = ClusterNode.builder(ClusterConfig.builder(1, sequence, TestCluster.SECRET, ThresholdConfig.ofCalls(10))
            .replayWindowMs(WINDOW_MS).heartbeatIntervalMs(60_000).peerDeadAfterMs(120_000).build(), workload).start();
        nodeAddress = self.controlAddress();
    }

    @AfterEach
    void stop() {
        node.close();
        peer.close();
    }

    private long nowUs() {
        return System.currentTimeMillis() * 1_000L;
    }

    private byte[] load(final ControlCodec signer, final long requestId, final int sender, final long timestampUs) {
        final ByteBuf buf = Unpooled.buffer();
        final int base = signer.begin(buf, MessageType.LOAD, requestId, sender, sender, timestampUs);
        LoadFlyweight.put(buf, HeaderFlyweight.bodyIndex(base), 3, 0, 1000, 50, 0);
        signer.finish(buf, base);
        return bytes(buf);
    }

    private byte[] connect(final long requestId, final long timestampUs) {
        final ByteBuf buf = Unpooled.buffer();
        final int base = codec.begin(buf, MessageType.CONNECT, requestId, 2, 2, timestampUs);
        ConnectFlyweight.put(buf, HeaderFlyweight.bodyIndex(base), 0, 0, 1);
        codec.finish(buf, base);
        return bytes(buf);
    }

    private byte[] simple(final int type, final long requestId, final int ackedType, final byte[] token) {
        final ByteBuf buf = Unpooled.buffer();
        final int base = codec.begin(buf, type, requestId, 2, 2, nowUs());
        if (type == MessageType.ACK) {
            AckFlyweight.put(buf, HeaderFlyweight.bodyIndex(base), ackedType);
        } else {
            ReleaseFlyweight.put(buf, HeaderFlyweight.bodyIndex(base), token);
        }
        codec.finish(buf, base);
        return bytes(buf);
    }

    private static byte[] bytes(final ByteBuf buf) {
        final byte[] out = new byte[buf.readableBytes()];
        buf.readBytes(out);
        buf.release();
        return out;
    }

    private void send(final byte[] datagram) throws Exception {
        peer.send(new DatagramPacket(datagram, datagram.length, nodeAddress));
    }

    /** @return the next non-LOAD datagram from the node (verified), or null on timeout */
    private ByteBuf receive() throws Exception {
        final byte[] data = new byte[256];
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (deadlineNs - System.nanoTime() > 0) {
            final DatagramPacket packet = new DatagramPacket(data, data.length);
            try {
                peer.receive(packet);
            } catch (final SocketTimeoutException e) {
                return null;
            }
            final ByteBuf buf = Unpooled.wrappedBuffer(java.util.Arrays.copyOf(data, packet.getLength()));
            assertEquals(ControlCodec.OK, codec.verify(buf));
            if (HeaderFlyweight.type(buf, 0) != MessageType.LOAD) {
                return buf;
            }
        }
        return null;
    }

    private long count(final ClusterCounter counter) {
        return node.counters().get(counter);
    }

    private void awaitCount(final ClusterCounter counter, final long value) throws InterruptedException {
        assertTrue(TestCluster.await(() -> count(counter) == value, 10_000), counter + " = " + count(counter));
    }

    @Test
    void validHeartbeatIsTakenAndItsReplayDropped() throws Exception {
        final byte[] datagram = load(codec, 0x0002_0000_0000_0001L, 2, nowUs());
        send(datagram);
        assertTrue(TestCluster.await(() -> node.peers().get(0).lastLoad() != null, 10_000));
        assertEquals(3, node.peers().get(0).lastLoad().activeCalls());
        send(datagram);
        awaitCount(ClusterCounter.DROPPED_REPLAY, 1);
    }

    @Test
    void staleAndFutureTimestampsAreDropped() throws Exception {
        send(load(codec, 0x0002_0000_0000_0002L, 2, nowUs() - (WINDOW_MS + 2_000) * 1_000L));
        awaitCount(ClusterCounter.DROPPED_STALE, 1);
        send(load(codec, 0x0002_0000_0000_0003L, 2, nowUs() + (WINDOW_MS + 2_000) * 1_000L));
        awaitCount(ClusterCounter.DROPPED_STALE, 2);
        assertNull(node.peers().get(0).lastLoad());
    }

    @Test
    void forgedWrongSecretMalformedAndUnknownSenderAreDropped() throws Exception {
        final byte[] forged = load(codec, 0x0002_0000_0000_0004L, 2, nowUs());
        forged[HeaderFlyweight.HEADER_LENGTH + LoadFlyweight.ACTIVE_CALLS_OFFSET + 3] ^= 1;
        send(forged);
        awaitCount(ClusterCounter.DROPPED_BAD_MAC, 1);

        final ControlCodec wrong = new ControlCodec("not-the-cluster-secret!!".getBytes(StandardCharsets.US_ASCII));
        send(load(wrong, 0x0002_0000_0000_0005L, 2, nowUs()));
        awaitCount(ClusterCounter.DROPPED_BAD_MAC, 2);

        send(new byte[] {0x53, 0x50, 1, 6, 0, 0});
        awaitCount(ClusterCounter.DROPPED_MALFORMED, 1);

        send(load(codec, 0x0009_0000_0000_0006L, 9, nowUs()));
        awaitCount(ClusterCounter.DROPPED_UNKNOWN_PEER, 1);
        assertNull(node.peers().get(0).lastLoad());
    }

    @Test
    void retransmittedConnectIsReAckedButReservesOnce() throws Exception {
        final long requestId = 0x0002_0000_0000_0010L;
        final byte[] first = connect(requestId, nowUs());
        send(first);
        ByteBuf ack = receive();
        assertNotNull(ack);
        assertEquals(MessageType.ACK, HeaderFlyweight.type(ack, 0));
        assertEquals(requestId, HeaderFlyweight.requestId(ack, 0));
        assertEquals(MessageType.CONNECT, AckFlyweight.ackedType(ack, HeaderFlyweight.bodyIndex(0)));
        final ByteBuf accept = receive();
        assertNotNull(accept);
        assertEquals(MessageType.ACCEPT, HeaderFlyweight.type(accept, 0));
        assertEquals(1, AcceptFlyweight.nodeId(accept, HeaderFlyweight.bodyIndex(0)));
        final byte[] token = new byte[ReservationToken.LENGTH];
        AcceptFlyweight.token(accept, HeaderFlyweight.bodyIndex(0), token);
        assertEquals(1, node.reservedCalls());

        // A retransmission: same request, newer timestamp → re-acked, no second reservation.
        send(connect(requestId, nowUs() + 1));
        boolean reAcked = false;
        for (ByteBuf next = receive(); next != null && !reAcked; next = receive()) {
            reAcked = HeaderFlyweight.type(next, 0) == MessageType.ACK;
        }
        assertTrue(reAcked);
        awaitCount(ClusterCounter.DUPLICATES, 1);
        assertEquals(1, node.reservedCalls());

        // A byte-identical replay of the first copy: dropped without an answer.
        send(first);
        awaitCount(ClusterCounter.DROPPED_REPLAY, 1);
        assertEquals(1, node.reservedCalls());

        // Acknowledge the ACCEPT, then give the reservation back.
        send(simple(MessageType.ACK, requestId, MessageType.ACCEPT, null));
        send(simple(MessageType.RELEASE, requestId, 0, token));
        assertTrue(TestCluster.await(() -> node.reservedCalls() == 0, 10_000));
        awaitCount(ClusterCounter.RESERVATIONS_RELEASED, 1);
    }

    @Test
    void unacknowledgedAcceptIsRetransmitted() throws Exception {
        send(connect(0x0002_0000_0000_0020L, nowUs()));
        int accepts = 0;
        for (ByteBuf next = receive(); next != null && accepts < 3; next = receive()) {
            if (HeaderFlyweight.type(next, 0) == MessageType.ACCEPT) {
                accepts++;
            }
        }
        assertEquals(3, accepts);
        assertTrue(count(ClusterCounter.DATAGRAMS_RETRANSMITTED) >= 2);
    }
}
