package io.spillway.media.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.spillway.media.IpFamily;
import io.spillway.media.LatchingMode;
import io.spillway.media.LegSpec;
import io.spillway.media.MediaType;
import io.spillway.media.StreamSpec;
import io.spillway.media.counter.DropReason;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The per-leg packet-rate cap: a flood from the latched source is dropped as rate_limited. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RateLimitTest {
    private static final long MS = 1_000_000L;
    private final InetSocketAddress caller = new InetSocketAddress(InetAddress.getLoopbackAddress(), 20000);
    private final InetSocketAddress callee = new InetSocketAddress(InetAddress.getLoopbackAddress(), 20002);
    private final AtomicLong nowNs = new AtomicLong(1_000 * MS);
    private final EmbeddedChannel[] channels = {new EmbeddedChannel(), new EmbeddedChannel(),
        new EmbeddedChannel(), new EmbeddedChannel()};
    private final ByteBuf rtp = Unpooled.buffer().writeByte(0x80).writeByte(0).writeShort(1)
        .writeInt(0).writeInt(7).writeZero(160);

    @AfterEach
    void release() {
        rtp.release();
        for (EmbeddedChannel c : channels) {
            c.finishAndReleaseAll();
        }
    }

    private DetachedRelay relay() {
        StreamSpec spec = new StreamSpec(MediaType.AUDIO, 0, new LegSpec(IpFamily.IPV4, false, caller, null),
            new LegSpec(IpFamily.IPV4, false, callee, null));
        return new DetachedRelay(spec, LatchingMode.DEFAULT, 1500, nowNs::get, channels);
    }

    @Test
    void rateLimiterAllowsTheRateAndABurstOnly() {
        RateLimiter r = new RateLimiter();
        long interval = 5 * MS; // 200 pps
        int granted = 0;
        for (int i = 0; i < 1000; i++) {
            granted += r.tryAcquire(0, interval, 10 * interval) ? 1 : 0;
        }
        assertEquals(11, granted, "burst of tolerance/interval + 1 at one instant");
        assertTrue(r.tryAcquire(1_000 * MS, interval, 10 * interval), "refills with time");
        assertTrue(new RateLimiter().tryAcquire(-5, 0, 0), "interval 0 = no cap");
    }

    @Test
    void floodAboveTheCapIsDroppedAndCountedWhileNormalRateFlows() {
        DetachedRelay relay = relay();
        relay.session().maxPacketsPerSec(200);
        RelayLeg a = relay.a();
        // 50 pps (20 ms audio) for 2 s: all forwarded
        for (int i = 0; i < 100; i++) {
            nowNs.addAndGet(20 * MS);
            assertNotNull(a.receive(rtp, caller, a.rtpEndpoint(), nowNs.get()), "packet " + i);
        }
        // then 10,000 packets within 1 s (10k pps): about 200 + burst pass
        int forwarded = 0;
        for (int i = 0; i < 10_000; i++) {
            nowNs.addAndGet(100_000);
            forwarded += a.receive(rtp, caller, a.rtpEndpoint(), nowNs.get()) != null ? 1 : 0;
        }
        long limited = a.counters().get(DropReason.RATE_LIMITED.counterIndex());
        assertTrue(forwarded <= 200 + 101 + 1, "forwarded " + forwarded);
        assertEquals(10_000 - forwarded, limited);
        assertEquals(limited, relay.session().loop().counters().get(DropReason.RATE_LIMITED.counterIndex()));
        assertEquals(0, relay.b().counters().get(DropReason.RATE_LIMITED.counterIndex()), "per leg");
        nowNs.addAndGet(1_000 * MS);
        assertNotNull(a.receive(rtp, caller, a.rtpEndpoint(), nowNs.get()), "flows again after the flood");
        relay.session().maxPacketsPerSec(0);
        for (int i = 0; i < 1000; i++) {
            assertNotNull(a.receive(rtp, caller, a.rtpEndpoint(), nowNs.get()), "0 = no cap");
        }
    }

    @Test
    void injectedPacketsFromAnotherSourceAreUnlatchedNotRateLimited() {
        DetachedRelay relay = relay();
        relay.session().maxPacketsPerSec(200);
        RelayLeg a = relay.a();
        nowNs.addAndGet(20 * MS);
        assertNotNull(a.receive(rtp, caller, a.rtpEndpoint(), nowNs.get()));
        InetSocketAddress attacker = new InetSocketAddress(InetAddress.getLoopbackAddress(), 31337);
        nowNs.addAndGet(20 * MS);
        assertNull(a.receive(rtp, attacker, a.rtpEndpoint(), nowNs.get()));
        assertEquals(0, a.counters().get(DropReason.RATE_LIMITED.counterIndex()));
        assertEquals(1, a.counters().get(DropReason.UNLATCHED_SOURCE.counterIndex()), "strict source dropped it");
    }

    @Test
    void capAllocatesNothingPerPacket() {
        DetachedRelay relay = relay();
        relay.session().maxPacketsPerSec(200);
        RelayLeg a = relay.a();
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (int i = 0; i < 100_000; i++) {
            nowNs.addAndGet(1_000);
            a.receive(rtp, caller, a.rtpEndpoint(), nowNs.get());
        }
        long tid = Thread.currentThread().getId();
        long before = mx.getThreadAllocatedBytes(tid);
        for (int i = 0; i < 100_000; i++) {
            nowNs.addAndGet(1_000);
            a.receive(rtp, caller, a.rtpEndpoint(), nowNs.get());
        }
        long allocated = mx.getThreadAllocatedBytes(tid) - before;
        assertTrue(allocated < 10_000, "allocated " + allocated + " bytes over 100k decisions");
    }
}
