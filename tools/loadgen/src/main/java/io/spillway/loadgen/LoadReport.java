package io.spillway.loadgen;

import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * What a run measured over its measured window (warm-up excluded).
 *
 * @param sent packets sent in the window
 * @param received of those, packets received (late arrivals within the drain time count)
 * @param behindSchedule sends more than {@link LoadRecorder#BEHIND_THRESHOLD_NS} late
 */
record LoadReport(LoadConfig config, boolean viaRelay, long sent, long received, double offeredPps,
                  double deliveredPps, long reordered, long duplicates, long foreign, long sendErrors,
                  long behindSchedule, long sentIncludingWarmup, Histogram latencyNs, Histogram sendLagNs) {

    long lost() {
        return Math.max(0, sent - received);
    }

    double lossPercent() {
        return sent == 0 ? 0 : 100.0 * lost() / sent;
    }

    double expectedPps() {
        return config.aggregatePps();
    }

    /** The generator kept its own rate: at least 99% of the scheduled rate, at most 1% of sends late. */
    boolean keptRate() {
        return offeredPps >= 0.99 * expectedPps() && behindSchedule <= sent / 100;
    }

    private static double us(long ns) {
        return ns / 1_000.0;
    }

    String human() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "spillway-loadgen: %d sessions, %d streams, %s, payload %d B (UDP %d B)%s%n",
            config.sessions(), config.streams(), viaRelay ? "via ng " + config.ng() : "baseline (no relay)",
            config.payloadBytes(), config.payloadBytes() + 12, config.sharedSocket() ? ", shared socket" : ""));
        b.append(String.format(Locale.ROOT, "  window      %.1f s (warm-up %.1f s excluded)%n",
            config.durationNs() / 1e9, config.warmupNs() / 1e9));
        b.append(String.format(Locale.ROOT, "  offered     %.0f pps (scheduled %.0f), sent %d%n", offeredPps,
            expectedPps(), sent));
        b.append(String.format(Locale.ROOT, "  delivered   %.0f pps, received %d%n", deliveredPps, received));
        b.append(String.format(Locale.ROOT, "  loss        %d (%.4f %%), reordered %d, duplicates %d, foreign %d, send errors %d%n",
            lost(), lossPercent(), reordered, duplicates, foreign, sendErrors));
        b.append(String.format(Locale.ROOT,
            "  latency us  p50 %.1f  p99 %.1f  p99.9 %.1f  max %.1f  (from intended send time)%n",
            us(latencyNs.getValueAtPercentile(50)), us(latencyNs.getValueAtPercentile(99)),
            us(latencyNs.getValueAtPercentile(99.9)), us(latencyNs.getMaxValue())));
        b.append(String.format(Locale.ROOT, "  send lag us p50 %.1f  p99 %.1f  max %.1f; sends > 1 ms late: %d%n",
            us(sendLagNs.getValueAtPercentile(50)), us(sendLagNs.getValueAtPercentile(99)),
            us(sendLagNs.getMaxValue()), behindSchedule));
        if (!keptRate()) {
            b.append("  WARNING: the generator fell behind its own schedule; figures understate the target load\n");
        }
        return b.toString();
    }

    String json() {
        return String.format(Locale.ROOT, "{\"sessions\":%d,\"streams\":%d,\"viaRelay\":%b,\"sharedSocket\":"
                + config.sharedSocket() + ",\"payloadBytes\":%d,"
                + "\"durationS\":%.3f,\"warmupS\":%.3f,\"scheduledPps\":%.1f,\"offeredPps\":%.1f,\"deliveredPps\":%.1f,"
                + "\"sent\":%d,\"received\":%d,\"lost\":%d,\"lossPercent\":%.5f,\"reordered\":%d,\"duplicates\":%d,"
                + "\"foreign\":%d,\"sendErrors\":%d,\"latencyUs\":{\"p50\":%.1f,\"p99\":%.1f,\"p999\":%.1f,\"max\":%.1f},"
                + "\"sendLagUs\":{\"p50\":%.1f,\"p99\":%.1f,\"max\":%.1f},\"sendsLate\":%d,\"keptRate\":%b}",
            config.sessions(), config.streams(), viaRelay, config.payloadBytes(), config.durationNs() / 1e9,
            config.warmupNs() / 1e9, expectedPps(), offeredPps, deliveredPps, sent, received, lost(), lossPercent(),
            reordered, duplicates, foreign, sendErrors, us(latencyNs.getValueAtPercentile(50)),
            us(latencyNs.getValueAtPercentile(99)), us(latencyNs.getValueAtPercentile(99.9)),
            us(latencyNs.getMaxValue()), us(sendLagNs.getValueAtPercentile(50)),
            us(sendLagNs.getValueAtPercentile(99)), us(sendLagNs.getMaxValue()), behindSchedule, keptRate());
    }
}
