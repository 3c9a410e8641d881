package io.spillway.media.relay;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import io.spillway.media.IpFamily;
import io.spillway.media.LatchingMode;
import io.spillway.media.LegSpec;
import io.spillway.media.MediaType;
import io.spillway.media.StreamSpec;
import io.spillway.media.counter.DropReason;
import io.spillway.media.counter.RelayCounters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/** The forwarding decision alone, without sockets (channels are EmbeddedChannels). */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ForwardingDecisionTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private final InetSocketAddress caller = new InetSocketAddress(LOOPBACK, 20000);
    private final InetSocketAddress callee = new InetSocketAddress(LOOPBACK, 20002);
    private final AtomicLong nowNs = new AtomicLong();
    private final EmbeddedChannel[] channels = {new EmbeddedChannel(), new EmbeddedChannel(),
        new EmbeddedChannel(), new EmbeddedChannel()};
    private final ByteBuf rtp = Unpooled.buffer().writeByte(0x80).writeByte(0).writeShort(1)
        .writeInt(0).writeInt(7).writeZero(160);
    private final ByteBuf rtcp = Unpooled.buffer().writeByte(0x80).writeByte(200).writeShort(1).writeInt(7);

    @AfterEach
    void release() {
        rtp.release();
        rtcp.release();
        for (EmbeddedChannel c : channels) {
            c.finishAndReleaseAll();
        }
    }

    private DetachedRelay relay(boolean muxA, boolean muxB) {
        StreamSpec spec = new StreamSpec(MediaType.AUDIO, 0, new LegSpec(IpFamily.IPV4, muxA, caller, null),
            new LegSpec(IpFamily.IPV4, muxB, callee, null));
        return new DetachedRelay(spec, LatchingMode.DEFAULT, 1500, nowNs::get, channels);
    }

    @Test
    void rtpGoesToPeerRtpAndRtcpToPeerRtcp() {
        DetachedRelay relay = relay(false, false);
        RelayLeg a = relay.a();
        assertSame(relay.b().rtpEndpoint(), a.receive(rtp, caller, a.rtpEndpoint(), 0));
        assertSame(relay.b().rtcpEndpoint(), a.receive(rtcp, caller, a.rtcpEndpoint(), 0));
        assertEquals(2, a.counters().get(RelayCounters.PACKETS_OUT));
        assertEquals(1, a.rtpStats().received());
    }

    @Test
    void muxedLegDemuxesRtcpToPeerRtcpPort() {
        DetachedRelay relay = relay(true, false);
        RelayLeg a = relay.a();
        assertSame(relay.b().rtcpEndpoint(), a.receive(rtcp, caller, a.rtpEndpoint(), 0));
        assertSame(relay.b().rtpEndpoint(), a.receive(rtp, caller, a.rtpEndpoint(), 0));
        // And towards a muxed peer everything leaves its one port.
        RelayLeg b = relay.b();
        assertSame(a.rtpEndpoint(), b.receive(rtcp, callee, b.rtcpEndpoint(), 0));
    }

    @Test
    void closedSessionDropsAsNoSession() {
        DetachedRelay relay = relay(false, false);
        relay.session().markClosed();
        assertNull(relay.a().receive(rtp, caller, relay.a().rtpEndpoint(), 0));
        assertEquals(1, relay.a().counters().get(DropReason.NO_SESSION.counterIndex()));
        assertEquals(1, relay.session().loop().counters().get(DropReason.NO_SESSION.counterIndex()));
    }

    @Test
    void handoverBoundaryIsExact() {
        StreamSpec spec = new StreamSpec(MediaType.AUDIO, 0, LegSpec.of(IpFamily.IPV4),
            new LegSpec(IpFamily.IPV4, false, callee, null));
        DetachedRelay relay = new DetachedRelay(spec, new LatchingMode(true, 100, false), 1500, nowNs::get,
            channels);
        RelayLeg a = relay.a();
        InetSocketAddress other = new InetSocketAddress(LOOPBACK, 30000);
        a.receive(rtp, caller, a.rtpEndpoint(), 0);
        assertNull(a.receive(rtp, other, a.rtpEndpoint(), 99_999_999L));
        assertSame(relay.b().rtpEndpoint(), a.receive(rtp, other, a.rtpEndpoint(), 100_000_000L));
        assertEquals(other, a.rtpEndpoint().remote());
        assertEquals(1, a.counters().get(RelayCounters.RELATCHES));
    }

    @Test
    void notWritablePeerDropsAsSendQueueFull() {
        DetachedRelay relay = relay(false, false);
        channels[2].config().setWriteBufferWaterMark(new WriteBufferWaterMark(1, 2));
        channels[2].config().setAutoRead(false);
        // Fill B's RTP channel's outbound buffer without flushing.
        channels[2].write(Unpooled.wrappedBuffer(new byte[64]));
        assertFalse(channels[2].isWritable());
        assertNull(relay.a().receive(rtp, caller, relay.a().rtpEndpoint(), 0));
        assertEquals(1, relay.a().counters().get(DropReason.SEND_QUEUE_FULL.counterIndex()));
    }
}
