package io.spillway.media.rtp;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Reception statistics of one RTP direction: SSRC, extended highest sequence number (RFC 3550
 * appendix A.1), expected and lost packets, and interarrival jitter (appendix A.8).
 *
 * <p>Single writer (the event loop that owns the stream) calls {@link #onPacket}; any thread may
 * call the getters, which read fields published with opaque stores. A reader may see fields of
 * two consecutive packets mixed; each field on its own is never torn.
 */
public final class RtpReceptionStats {
    /** A.1: a forward jump up to this many sequence numbers is a gap, not a restart. */
    static final int MAX_DROPOUT = 3000;
    /** A.1: a backward step up to this many is reordering, not a restart. */
    static final int MAX_MISORDER = 100;
    private static final int SEQ_MOD = 1 << 16;

    private static final VarHandle SSRC;
    private static final VarHandle EXTENDED_MAX;
    private static final VarHandle BASE_EXTENDED;
    private static final VarHandle RECEIVED;
    private static final VarHandle JITTER_Q4;
    private static final VarHandle CLOCK_RATE;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            SSRC = lookup.findVarHandle(RtpReceptionStats.class, "ssrc", int.class);
            EXTENDED_MAX = lookup.findVarHandle(RtpReceptionStats.class, "extendedMax", long.class);
            BASE_EXTENDED = lookup.findVarHandle(RtpReceptionStats.class, "baseExtended", long.class);
            RECEIVED = lookup.findVarHandle(RtpReceptionStats.class, "received", long.class);
            JITTER_Q4 = lookup.findVarHandle(RtpReceptionStats.class, "jitterQ4", long.class);
            CLOCK_RATE = lookup.findVarHandle(RtpReceptionStats.class, "clockRateHz", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    // Published (opaque) fields.
    private int ssrc;
    private long extendedMax;
    private long baseExtended;
    private long received;
    /** Jitter in timestamp units scaled by 16 (A.8 integer form). */
    private long jitterQ4;
    private int clockRateHz;

    // Writer-only state.
    private boolean initialized;
    private int maxSeq;
    private long cycles;
    private int badSeq = SEQ_MOD + 1;
    private int lastTransit;
    private boolean haveTransit;
    private long firstArrivalNs;
    /** Timestamp units per nanosecond; a multiply instead of two long divisions per packet. */
    private double unitsPerNs;

    public RtpReceptionStats(int clockRateHz) {
        this.clockRateHz = clockRateHz;
        this.unitsPerNs = clockRateHz / 1e9;
    }

    /** Changes the clock rate used for jitter; restarts the jitter estimate. Owner thread only. */
    public void clockRateHz(int clockRateHz) {
        CLOCK_RATE.setOpaque(this, clockRateHz);
        unitsPerNs = clockRateHz / 1e9;
        haveTransit = false;
    }

    /** Accounts one RTP packet. Owner thread only; allocation-free. */
    public void onPacket(int packetSsrc, int seq, int rtpTimestamp, long nowNs) {
        if (!initialized || packetSsrc != ssrc) {
            restart(packetSsrc, seq, nowNs);
        } else {
            int delta = (seq - maxSeq) & (SEQ_MOD - 1);
            if (delta < MAX_DROPOUT) {
                if (seq < maxSeq) {
                    cycles += SEQ_MOD;
                }
                maxSeq = seq;
                EXTENDED_MAX.setOpaque(this, cycles + seq);
            } else if (delta <= SEQ_MOD - MAX_MISORDER) {
                if (seq != badSeq) {
                    // A.1: a huge jump is believed only when the next packet continues from it.
                    badSeq = (seq + 1) & (SEQ_MOD - 1);
                    return;
                }
                restart(packetSsrc, seq, nowNs);
            }
            // else: duplicate or reordered packet, counted as received only.
        }
        RECEIVED.setOpaque(this, received + 1);
        updateJitter(rtpTimestamp, nowNs);
    }

    private void restart(int packetSsrc, int seq, long nowNs) {
        initialized = true;
        SSRC.setOpaque(this, packetSsrc);
        maxSeq = seq;
        cycles = 0;
        badSeq = SEQ_MOD + 1;
        haveTransit = false;
        firstArrivalNs = nowNs;
        BASE_EXTENDED.setOpaque(this, (long) seq);
        EXTENDED_MAX.setOpaque(this, (long) seq);
        RECEIVED.setOpaque(this, 0L);
        JITTER_Q4.setOpaque(this, 0L);
    }

    private void updateJitter(int rtpTimestamp, long nowNs) {
        // Arrival in timestamp units relative to the first packet. A double holds the elapsed
        // nanoseconds exactly for over 100 days; the int cast keeps RTP's modulo-2^32 arithmetic.
        int arrival = (int) (long) ((nowNs - firstArrivalNs) * unitsPerNs);
        int transit = arrival - rtpTimestamp;
        if (haveTransit) {
            int d = transit - lastTransit;
            if (d < 0) {
                d = -d;
            }
            JITTER_Q4.setOpaque(this, jitterQ4 + d - ((jitterQ4 + 8) >> 4));
        }
        lastTransit = transit;
        haveTransit = true;
    }

    /** SSRC of the current source, raw 32 bits; 0 before the first packet. */
    public int ssrc() {
        return (int) SSRC.getOpaque(this);
    }

    /** Extended highest sequence number received (cycles * 65536 + highest seq). */
    public long extendedHighestSeq() {
        return (long) EXTENDED_MAX.getOpaque(this);
    }

    /** Packets received from the current source (including duplicates, per A.3). */
    public long received() {
        return (long) RECEIVED.getOpaque(this);
    }

    /** Packets expected from the current source: extended highest minus first, plus one. */
    public long expected() {
        long received = received();
        if (received == 0) {
            return 0;
        }
        return extendedHighestSeq() - (long) BASE_EXTENDED.getOpaque(this) + 1;
    }

    /** Cumulative packets lost (expected minus received); negative when duplicates arrived. */
    public long lost() {
        return expected() - received();
    }

    /** Interarrival jitter in timestamp units (RFC 3550 A.8). */
    public long jitterTimestampUnits() {
        return (long) JITTER_Q4.getOpaque(this) >> 4;
    }

    /** Interarrival jitter converted to microseconds with the stream's clock rate. */
    public long jitterMicros() {
        int rate = (int) CLOCK_RATE.getOpaque(this);
        return rate == 0 ? 0 : jitterTimestampUnits() * 1_000_000L / rate;
    }

    public int clockRateHz() {
        return (int) CLOCK_RATE.getOpaque(this);
    }

}
