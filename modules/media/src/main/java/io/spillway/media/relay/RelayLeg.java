package io.spillway.media.relay;

import io.netty.buffer.ByteBuf;
import io.spillway.media.IpFamily;
import io.spillway.media.Leg;
import io.spillway.media.counter.CounterArray;
import io.spillway.media.counter.DropReason;
import io.spillway.media.counter.RelayCounters;
import io.spillway.media.port.PortPairAllocator;
import io.spillway.media.rtp.PacketClassifier;
import io.spillway.media.rtp.RtpHeaderFlyweight;
import io.spillway.media.rtp.RtpReceptionStats;

import java.net.InetSocketAddress;

/**
 * One side of a stream: its relay endpoint(s), the counters of the direction that starts here
 * (received on this leg, sent out of the peer leg), and that direction's RTP statistics. Holds the
 * forwarding decision, {@link #receive}, which touches no socket so it can be benchmarked alone.
 */
public final class RelayLeg {
    private final RelayStream stream;
    private final Leg side;
    private final IpFamily family;
    private final RelayEndpoint rtp;
    private final RelayEndpoint rtcp;
    private final CounterArray counters = RelayCounters.newArray();
    private final RtpReceptionStats rtpStats;
    private final RtpHeaderFlyweight rtpHeader = new RtpHeaderFlyweight();
    private final RateLimiter rate = new RateLimiter();
    private RelayLeg peer;
    private boolean rtcpMux;
    private PortPairAllocator allocator;
    private int portPair = -1;

    RelayLeg(RelayStream stream, Leg side, IpFamily family, boolean rtcpMux, int clockRateHz) {
        this.stream = stream;
        this.side = side;
        this.family = family;
        this.rtcpMux = rtcpMux;
        this.rtp = new RelayEndpoint(this, false);
        this.rtcp = new RelayEndpoint(this, true);
        this.rtpStats = new RtpReceptionStats(clockRateHz);
    }

    void peer(RelayLeg peer) {
        this.peer = peer;
    }

    /**
     * The forwarding decision for one datagram received on {@code in}: classify, check the source,
     * account, and choose the endpoint to send it from. Allocation-free.
     *
     * @return the peer endpoint to send from (its {@link RelayEndpoint#remote()} is the
     *     destination), or null when the packet is dropped (already counted)
     */
    public RelayEndpoint receive(ByteBuf content, InetSocketAddress sender, RelayEndpoint in, long nowNs) {
        RelaySession session = stream.session();
        CounterArray node = session.loop().counters();
        int length = content.readableBytes();
        counters.increment(RelayCounters.PACKETS_IN);
        counters.add(RelayCounters.BYTES_IN, length);
        node.increment(RelayCounters.PACKETS_IN);
        node.add(RelayCounters.BYTES_IN, length);
        if (session.isClosed()) {
            return drop(node, DropReason.NO_SESSION);
        }
        int kind = PacketClassifier.classify(content, in.isRtcpPort(), session.maxPacketBytes());
        if (kind > PacketClassifier.RTCP) {
            return drop(node, dropReasonOf(kind));
        }
        if (!in.acceptSource(sender, nowNs, session)) {
            return drop(node, DropReason.UNLATCHED_SOURCE);
        }
        if (!rate.tryAcquire(nowNs, session.rateIntervalNs(), session.rateToleranceNs())) {
            return drop(node, DropReason.RATE_LIMITED);
        }
        session.touch(nowNs);
        RelayEndpoint out;
        if (kind == PacketClassifier.RTP) {
            rtpHeader.wrap(content);
            rtpStats.onPacket(rtpHeader.ssrc(), rtpHeader.sequenceNumber(), rtpHeader.timestamp(), nowNs);
            out = peer.rtp;
        } else {
            out = peer.rtcpMux ? peer.rtp : peer.rtcp;
        }
        if (out.remote() == null) {
            return drop(node, DropReason.NO_DESTINATION);
        }
        if (!out.channel().isWritable()) {
            return drop(node, DropReason.SEND_QUEUE_FULL);
        }
        counters.increment(RelayCounters.PACKETS_OUT);
        counters.add(RelayCounters.BYTES_OUT, length);
        node.increment(RelayCounters.PACKETS_OUT);
        node.add(RelayCounters.BYTES_OUT, length);
        return out;
    }

    private RelayEndpoint drop(CounterArray node, DropReason reason) {
        RelayCounters.drop(counters, reason);
        RelayCounters.drop(node, reason);
        return null;
    }

    private static DropReason dropReasonOf(int kind) {
        switch (kind) {
            case PacketClassifier.TOO_SHORT:
                return DropReason.TOO_SHORT;
            case PacketClassifier.BAD_VERSION:
                return DropReason.BAD_VERSION;
            default:
                return DropReason.OVERSIZE;
        }
    }

    void countRelatch() {
        counters.increment(RelayCounters.RELATCHES);
        stream.session().loop().counters().increment(RelayCounters.RELATCHES);
    }

    public RelayStream stream() {
        return stream;
    }

    public Leg side() {
        return side;
    }

    public IpFamily family() {
        return family;
    }

    public RelayLeg peer() {
        return peer;
    }

    public RelayEndpoint rtpEndpoint() {
        return rtp;
    }

    /** The dedicated RTCP endpoint (unbound while the leg is muxed). */
    public RelayEndpoint rtcpEndpoint() {
        return rtcp;
    }

    public boolean isRtcpMux() {
        return rtcpMux;
    }

    void rtcpMux(boolean mux) {
        this.rtcpMux = mux;
    }

    public CounterArray counters() {
        return counters;
    }

    public RtpReceptionStats rtpStats() {
        return rtpStats;
    }

    PortPairAllocator allocator() {
        return allocator;
    }

    int portPair() {
        return portPair;
    }

    void ports(PortPairAllocator allocator, int portPair) {
        this.allocator = allocator;
        this.portPair = portPair;
    }
}
