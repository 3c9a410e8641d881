package io.spillway.media.rtp;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class RtpReceptionStatsTest {
    private static final long MS = 1_000_000L;

    @Test
    void countsLossAcrossSequenceWrap() {
        RtpReceptionStats s = new RtpReceptionStats(8000);
        int[] seqs = {65534, 65535, 1, 2, 4};
        for (int i = 0; i < seqs.length; i++) {
            s.onPacket(7, seqs[i], i * 160, i * 20 * MS);
        }
        assertEquals(65536 + 4, s.extendedHighestSeq());
        assertEquals(7, s.expected());
        assertEquals(5, s.received());
        assertEquals(2, s.lost());
    }

    @Test
    void reorderedAndDuplicatePacketsDoNotMoveTheHighest() {
        RtpReceptionStats s = new RtpReceptionStats(8000);
        s.onPacket(1, 100, 0, 0);
        s.onPacket(1, 102, 320, 40 * MS);
        s.onPacket(1, 101, 160, 41 * MS);
        s.onPacket(1, 102, 320, 42 * MS);
        assertEquals(102, s.extendedHighestSeq());
        assertEquals(3, s.expected());
        assertEquals(4, s.received());
        assertEquals(-1, s.lost(), "a duplicate makes loss negative, as RFC 3550 allows");
    }

    @Test
    void largeJumpNeedsTwoSequentialPacketsAndNewSsrcRestarts() {
        RtpReceptionStats s = new RtpReceptionStats(8000);
        s.onPacket(1, 10, 0, 0);
        s.onPacket(1, 30_000, 0, 0);
        assertEquals(10, s.extendedHighestSeq(), "one stray packet does not resync");
        s.onPacket(1, 30_001, 0, 0);
        assertEquals(30_001, s.extendedHighestSeq());
        assertEquals(1, s.received());
        s.onPacket(2, 5, 0, 0);
        assertEquals(2, s.ssrc());
        assertEquals(1, s.expected());
    }

    @Test
    void jitterFollowsRfc3550Estimator() {
        RtpReceptionStats s = new RtpReceptionStats(8000);
        // Packets every 20 ms; the second arrives 5 ms (40 units) late, then back on time.
        s.onPacket(1, 0, 0, 0);
        s.onPacket(1, 1, 160, 25 * MS);
        // D = 40 -> J = 40/16 = 2.5 (Q4: 40)
        assertEquals(2, s.jitterTimestampUnits());
        s.onPacket(1, 2, 320, 40 * MS);
        // D = |0 - 40| = 40 -> Q4: 40 + 40 - ((40 + 8) >> 4) = 77 -> 4 units
        assertEquals(4, s.jitterTimestampUnits());
        assertEquals(500, s.jitterMicros());
        s.clockRateHz(90000);
        assertEquals(90000, s.clockRateHz());
    }
}
