package io.spillway.loadgen;

import java.util.Arrays;
import org.HdrHistogram.Histogram;

/**
 * What one run sent and received, per stream: counts, sequence order, latency from the intended
 * send time, and how late the generator sent. Single-threaded (the run's one thread).
 */
final class LoadRecorder {
    private static final long HIGHEST_LATENCY_NS = 60_000_000_000L;
    /** A send later than this behind its schedule counts as "behind". */
    static final long BEHIND_THRESHOLD_NS = 1_000_000L;

    private final Histogram latencyNs = new Histogram(HIGHEST_LATENCY_NS, 3);
    private final Histogram sendLagNs = new Histogram(HIGHEST_LATENCY_NS, 3);
    private final long[] sentMeasured;
    private final long[] received;
    private final long[] highestSeq;
    private long reordered;
    private long duplicates;
    private long foreign;
    private long sendErrors;
    private long behind;
    private long sentTotal;

    LoadRecorder(int streams) {
        sentMeasured = new long[streams];
        received = new long[streams];
        highestSeq = new long[streams];
        Arrays.fill(highestSeq, -1);
    }

    void sent(int stream, long intendedNs, long nowNs, boolean measured) {
        sentTotal++;
        if (measured) {
            sentMeasured[stream]++;
            long lagNs = nowNs - intendedNs;
            sendLagNs.recordValue(Math.max(0, Math.min(lagNs, HIGHEST_LATENCY_NS)));
            if (lagNs > BEHIND_THRESHOLD_NS) {
                behind++;
            }
        }
    }

    void sendError() {
        sendErrors++;
    }

    void foreign() {
        foreign++;
    }

    /** A stamped packet arrived; {@code stream} must be valid. */
    void received(int stream, long seq, long intendedNs, boolean measured, long nowNs) {
        if (seq <= highestSeq[stream]) {
            if (seq == highestSeq[stream]) {
                duplicates++;
            } else {
                reordered++;
            }
        } else {
            highestSeq[stream] = seq;
        }
        if (measured) {
            received[stream]++;
            latencyNs.recordValue(Math.max(0, Math.min(nowNs - intendedNs, HIGHEST_LATENCY_NS)));
        }
    }

    int streams() {
        return received.length;
    }

    LoadReport report(LoadConfig config, boolean viaRelay) {
        long sent = 0;
        long got = 0;
        for (int i = 0; i < sentMeasured.length; i++) {
            sent += sentMeasured[i];
            got += received[i];
        }
        double seconds = config.durationNs() / 1e9;
        return new LoadReport(config, viaRelay, sent, got, sent / seconds, got / seconds, reordered, duplicates,
            foreign, sendErrors, behind, sentTotal, latencyNs, sendLagNs);
    }
}
