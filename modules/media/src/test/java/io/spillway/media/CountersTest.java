package io.spillway.media;

import io.spillway.media.RelayTestSupport.FakeClock;
import io.spillway.media.RelayTestSupport.Party;
import io.spillway.media.counter.DropReason;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static io.spillway.media.RelayTestSupport.V4;
import static io.spillway.media.RelayTestSupport.await;
import static io.spillway.media.RelayTestSupport.rtcpRr;
import static io.spillway.media.RelayTestSupport.rtp;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Counters match exactly what was sent; malformed datagrams are dropped by reason. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CountersTest {
    private static final int SSRC = 0x5EED1234;
    private RelayEngineFixture fx;

    @AfterEach
    void stop() {
        if (fx != null) {
            fx.close();
        }
    }

    @Test
    void packetsBytesLossAndJitterMatchWhatWasSent() throws Exception {
        fx = RelayEngineFixture.start(8);
        try (Party caller = new Party(V4); Party callee = new Party(V4)) {
            StreamPorts ports = fx.audio(1, caller, callee, null, null);
            // 65530..65535 then 0..9 without 2 and 5: 14 sent, 16 expected across the wrap.
            int[] seqs = {65530, 65531, 65532, 65533, 65534, 65535, 0, 1, 3, 4, 6, 7, 8, 9};
            int[] jitterTs = {0, 40, -30, 0, 60, -20, 10, 0, -40, 30, 0, 20, -10, 0};
            long bytes = 0;
            for (int i = 0; i < seqs.length; i++) {
                int slot = i < 6 ? i : (seqs[i] + 6);
                byte[] packet = rtp(seqs[i], slot * 160 + jitterTs[i], SSRC, 160);
                caller.send(packet, ports.a().rtpPort());
                assertArrayEquals(packet, callee.receiveBytes());
                bytes += packet.length;
                fx.clock.advanceMs(20);
            }
            DirectionStats up = fx.aToB(1);
            assertEquals(seqs.length, up.packetsIn());
            assertEquals(bytes, up.bytesIn());
            assertEquals(seqs.length, up.packetsOut());
            assertEquals(bytes, up.bytesOut());
            assertEquals(0, up.totalDrops());
            assertEquals(SSRC, up.rtp().ssrc());
            assertEquals(65536 + 9, up.rtp().extendedHighestSeq(), "sequence wrapped once");
            assertEquals(16, up.rtp().expected());
            assertEquals(14, up.rtp().received());
            assertEquals(2, up.rtp().lost());
            assertTrue(up.rtp().jitterTimestampUnits() > 0, "jittered timestamps give jitter > 0");
            DirectionStats down = fx.bToA(1);
            assertEquals(0, down.packetsIn());
            assertEquals(0, down.rtp().expected());
            SessionStats session = fx.engine.sessionStats(1);
            assertEquals(seqs.length, session.total().packetsOut());
            NodeStats node = fx.engine.nodeStats();
            assertEquals(seqs.length, node.traffic().packetsIn());
            assertEquals(bytes, node.traffic().bytesOut());
        }
    }

    @Test
    void jitterIsZeroForPerfectlyPacedStream() throws Exception {
        fx = RelayEngineFixture.start(8);
        try (Party caller = new Party(V4); Party callee = new Party(V4)) {
            StreamPorts ports = fx.audio(1, caller, callee, null, null);
            for (int i = 0; i < 20; i++) {
                caller.send(rtp(i, i * 160, SSRC, 160), ports.a().rtpPort());
                callee.receiveBytes();
                fx.clock.advanceMs(20);
            }
            assertEquals(0, fx.aToB(1).rtp().jitterTimestampUnits());
            assertEquals(0, fx.aToB(1).rtp().lost());
        }
    }

    @Test
    void ratesOverOneSecondWindowFeedTheWorkload() throws Exception {
        fx = RelayEngineFixture.start(8);
        try (Party caller = new Party(V4); Party callee = new Party(V4)) {
            StreamPorts ports = fx.audio(1, caller, callee, null, null);
            for (int i = 0; i < 10; i++) {
                caller.send(rtp(i, i * 160, SSRC, 160), ports.a().rtpPort());
                callee.receiveBytes();
            }
            fx.clock.advanceMs(1000);
            fx.engine.runHousekeeping().get(10, TimeUnit.SECONDS);
            DirectionStats up = fx.aToB(1);
            assertEquals(1720, up.bytesInPerSec());
            assertEquals(10, up.packetsOutPerSec());
            WorkloadSnapshot w = fx.engine.workload();
            assertEquals(1, w.activeSessions());
            assertEquals(3440, w.bandwidthBytesPerSec());
            assertEquals(20, w.packetsPerSec());
            assertEquals(2, w.portPairsInUse());
            // Next window without traffic: rates fall to zero.
            fx.clock.advanceMs(1000);
            fx.engine.runHousekeeping().get(10, TimeUnit.SECONDS);
            assertEquals(0, fx.engine.workload().bandwidthBytesPerSec());
        }
    }

    @Test
    void malformedShortAndOversizeDatagramsAreDroppedByReason() throws Exception {
        fx = RelayEngineFixture.start(8);
        try (Party caller = new Party(V4); Party callee = new Party(V4)) {
            StreamPorts ports = fx.audio(1, caller, callee, null, null);
            int rtpPort = ports.a().rtpPort();
            caller.send(new byte[5], rtpPort);
            byte[] tenBytes = new byte[10];
            tenBytes[0] = (byte) 0x80;
            caller.send(tenBytes, rtpPort);
            byte[] versionOne = rtp(1, 0, 1, 0);
            versionOne[0] = 0x40;
            caller.send(versionOne, rtpPort);
            caller.send(rtp(1, 0, 1, 1501 - 12), rtpPort);
            byte[] shortRtcp = new byte[7];
            shortRtcp[0] = (byte) 0x80;
            shortRtcp[1] = (byte) 201;
            caller.send(shortRtcp, ports.a().rtcpPort());
            byte[] good = rtp(2, 160, 1, 1500 - 12);
            caller.send(good, rtpPort);
            assertArrayEquals(good, callee.receiveBytes(), "only the valid 1500-byte packet got through");

            await("all six counted", () -> fx.aToB(1).packetsIn() == 6);
            DirectionStats up = fx.aToB(1);
            assertEquals(3, up.drops(DropReason.TOO_SHORT));
            assertEquals(1, up.drops(DropReason.BAD_VERSION));
            assertEquals(1, up.drops(DropReason.OVERSIZE));
            assertEquals(3 + 1, up.malformed());
            assertEquals(1, up.packetsOut());
            assertEquals(up.packetsIn(), up.packetsOut() + up.totalDrops());
            assertEquals(1, fx.engine.nodeStats().traffic().drops(DropReason.OVERSIZE));
        }
    }

    @Test
    void largerMaxPacketSizeIsHonoured() throws Exception {
        FakeClock clock = new FakeClock();
        fx = new RelayEngineFixture(RelayTestSupport.config(clock, 8).maxPacketBytes(9000), clock);
        try (Party caller = new Party(V4); Party callee = new Party(V4)) {
            StreamPorts ports = fx.audio(1, caller, callee, null, null);
            caller.send(rtp(1, 0, 1, 9001 - 12), ports.a().rtpPort());
            byte[] jumbo = rtp(2, 0, 1, 9000 - 12);
            caller.send(jumbo, ports.a().rtpPort());
            assertArrayEquals(jumbo, callee.receiveBytes());
            assertEquals(1, fx.aToB(1).drops(DropReason.OVERSIZE));
        }
    }

    @Test
    void rtcpOnDedicatedPortIsCountedButNotInRtpStats() throws Exception {
        fx = RelayEngineFixture.start(8);
        try (Party caller = new Party(V4); Party callee = new Party(V4)) {
            StreamPorts ports = fx.audio(1, caller, null, null, null);
            fx.engine.primeRemote(1, 0, Leg.B, callee.address(), callee.address()).get(10, TimeUnit.SECONDS);
            caller.send(rtcpRr(SSRC), ports.a().rtcpPort());
            assertArrayEquals(rtcpRr(SSRC), callee.receiveBytes());
            assertEquals(1, fx.aToB(1).packetsOut());
            assertEquals(0, fx.aToB(1).rtp().received());
        }
    }
}
