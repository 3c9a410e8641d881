package io.spillway.media;

import io.spillway.media.counter.DropReason;

import java.net.InetSocketAddress;

/**
 * Counters of one direction of one stream (or summed over a session or node): what was received
 * on the leg it names and forwarded out of the other leg.
 *
 * @param packetsIn datagrams received (including the dropped ones)
 * @param bytesIn their bytes
 * @param packetsOut datagrams handed to the other leg's socket
 * @param bytesOut their bytes
 * @param drops one count per {@link DropReason} ordinal
 * @param relatches times the source was re-latched (handover or non-strict mode)
 * @param bytesInPerSec rate over the last 1 s window
 * @param bytesOutPerSec rate over the last 1 s window
 * @param packetsInPerSec rate over the last 1 s window
 * @param packetsOutPerSec rate over the last 1 s window
 * @param rtp RTP reception statistics, or null for aggregates
 * @param latchedRtp the RTP source the leg latched on (or the primed address), may be null
 */
public record DirectionStats(long packetsIn, long bytesIn, long packetsOut, long bytesOut,
                             long[] drops, long relatches, long bytesInPerSec, long bytesOutPerSec,
                             long packetsInPerSec, long packetsOutPerSec, RtpStats rtp,
                             InetSocketAddress latchedRtp) {
    /** Drops for one reason. */
    public long drops(DropReason reason) {
        return drops[reason.ordinal()];
    }

    /** Drops for every reason together. */
    public long totalDrops() {
        long sum = 0;
        for (long d : drops) {
            sum += d;
        }
        return sum;
    }

    /** Too short plus wrong version. */
    public long malformed() {
        return drops(DropReason.TOO_SHORT) + drops(DropReason.BAD_VERSION);
    }

    /**
     * RTP reception statistics of one direction.
     *
     * @param ssrc raw 32-bit SSRC of the current source
     * @param extendedHighestSeq cycles * 65536 + highest sequence number
     * @param received packets received from this source
     * @param expected packets expected from the sequence numbers
     * @param lost expected minus received
     * @param jitterTimestampUnits RFC 3550 A.8 interarrival jitter
     * @param jitterMicros the same in microseconds
     * @param clockRateHz clock rate used
     */
    public record RtpStats(int ssrc, long extendedHighestSeq, long received, long expected,
                           long lost, long jitterTimestampUnits, long jitterMicros,
                           int clockRateHz) {
    }
}
