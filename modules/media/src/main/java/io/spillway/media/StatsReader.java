package io.spillway.media;

import io.spillway.media.counter.CounterArray;
import io.spillway.media.counter.DropReason;
import io.spillway.media.counter.RelayCounters;
import io.spillway.media.relay.RelayLeg;
import io.spillway.media.relay.RelaySession;
import io.spillway.media.relay.RelayStream;
import io.spillway.media.rtp.RtpReceptionStats;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Turns live counters into immutable stats records; runs on the reader's thread. */
final class StatsReader {
    private StatsReader() {
    }

    static SessionStats session(RelaySession session, long nowNs) {
        RelayStream[] streams = session.streams();
        List<StreamStats> list = new ArrayList<>(streams.length);
        long[] sum = new long[RelayCounters.SIZE];
        for (RelayStream stream : streams) {
            list.add(new StreamStats(stream.index(), stream.type(), direction(stream.a()),
                direction(stream.b())));
            accumulate(sum, stream.a().counters());
            accumulate(sum, stream.b().counters());
        }
        return new SessionStats(session.id(), session.key(),
            TimeUnit.NANOSECONDS.toMillis(nowNs - session.createdNs()),
            TimeUnit.NANOSECONDS.toMillis(nowNs - session.lastActivityNs()), List.copyOf(list),
            fromSums(sum, null, null));
    }

    static DirectionStats direction(RelayLeg leg) {
        long[] sum = new long[RelayCounters.SIZE];
        accumulate(sum, leg.counters());
        RtpReceptionStats rtp = leg.rtpStats();
        DirectionStats.RtpStats rtpStats = new DirectionStats.RtpStats(rtp.ssrc(),
            rtp.extendedHighestSeq(), rtp.received(), rtp.expected(), rtp.lost(),
            rtp.jitterTimestampUnits(), rtp.jitterMicros(), rtp.clockRateHz());
        return fromSums(sum, rtpStats, leg.rtpEndpoint().remote());
    }

    static void accumulate(long[] sum, CounterArray counters) {
        for (int i = 0; i < RelayCounters.SIZE; i++) {
            sum[i] += counters.get(i);
        }
    }

    static DirectionStats fromSums(long[] sum, DirectionStats.RtpStats rtp,
                                   InetSocketAddress latched) {
        long[] drops = new long[DropReason.all().length];
        for (DropReason reason : DropReason.all()) {
            drops[reason.ordinal()] = sum[reason.counterIndex()];
        }
        return new DirectionStats(sum[RelayCounters.PACKETS_IN], sum[RelayCounters.BYTES_IN],
            sum[RelayCounters.PACKETS_OUT], sum[RelayCounters.BYTES_OUT], drops,
            sum[RelayCounters.RELATCHES], sum[RelayCounters.BYTES_IN_PER_SEC],
            sum[RelayCounters.BYTES_OUT_PER_SEC], sum[RelayCounters.PACKETS_IN_PER_SEC],
            sum[RelayCounters.PACKETS_OUT_PER_SEC], rtp, latched);
    }
}
