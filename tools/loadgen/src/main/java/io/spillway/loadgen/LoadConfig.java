package io.spillway.loadgen;

import java.net.InetSocketAddress;

/**
 * Validated settings of one load run.
 *
 * @param ng the ng control port, or {@code null} for a baseline run without a relay (endpoints
 *     send to each other directly)
 * @param sessions calls to set up; each has two streams (A to B and B to A)
 * @param aggregatePps packets per second over all streams
 * @param durationNs sending time, after warm-up
 * @param warmupNs sending time before measuring (packets are sent, not recorded)
 * @param drainNs time to wait for stragglers after the last send
 * @param payloadBytes RTP payload bytes (the UDP payload is 12 more)
 * @param json print JSON instead of the human summary
 * @param sharedSocket every party of every call is one local socket and the calls are set up
 *     {@code asymmetric}: two syscalls per packet in the generator instead of about three, so one
 *     generator core can drive a faster relay (the relay side is unchanged: its own ports per leg)
 */
record LoadConfig(InetSocketAddress ng, int sessions, double aggregatePps, long durationNs, long warmupNs,
                  long drainNs, int payloadBytes, boolean json, boolean sharedSocket) {
    static final int MAX_SESSIONS = 20_000;
    static final long MAX_DURATION_NS = 3_600_000_000_000L;
    static final int MIN_PAYLOAD = LoadPacketCodec.STAMP_LENGTH;

    LoadConfig {
        if (sessions < 1 || sessions > MAX_SESSIONS) {
            throw new IllegalArgumentException("--sessions must be in [1, " + MAX_SESSIONS + "]");
        }
        if (!(aggregatePps > 0) || aggregatePps > 2_000_000) {
            throw new IllegalArgumentException("the aggregate rate must be in (0, 2000000] pps");
        }
        if (durationNs < 1_000_000 || durationNs > MAX_DURATION_NS) {
            throw new IllegalArgumentException("--duration must be in [1ms, 1h]");
        }
        if (warmupNs < 0 || warmupNs > MAX_DURATION_NS || drainNs < 0 || drainNs > 60_000_000_000L) {
            throw new IllegalArgumentException("--warmup must be in [0, 1h] and --drain in [0, 60s]");
        }
        if (payloadBytes < MIN_PAYLOAD || payloadBytes > 1_400) {
            throw new IllegalArgumentException("--payload must be in [" + MIN_PAYLOAD + ", 1400]");
        }
    }

    int streams() {
        return sessions * 2;
    }

    /** Parses {@code 30s}, {@code 500ms}, {@code 2m}, {@code 100us} into nanoseconds. */
    static long parseDurationNs(String text) {
        String t = text.trim();
        long unit;
        String digits;
        if (t.endsWith("ms")) {
            unit = 1_000_000L;
            digits = t.substring(0, t.length() - 2);
        } else if (t.endsWith("us")) {
            unit = 1_000L;
            digits = t.substring(0, t.length() - 2);
        } else if (t.endsWith("s")) {
            unit = 1_000_000_000L;
            digits = t.substring(0, t.length() - 1);
        } else if (t.endsWith("m")) {
            unit = 60_000_000_000L;
            digits = t.substring(0, t.length() - 1);
        } else {
            throw new IllegalArgumentException("duration needs a unit (us, ms, s, m): " + text);
        }
        long n = Long.parseLong(digits);
        if (n < 0 || n > 86_400_000_000L / Math.max(1, unit / 1_000)) {
            throw new IllegalArgumentException("duration out of range: " + text);
        }
        return n * unit;
    }
}
