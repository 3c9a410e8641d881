package io.spillway.loadgen;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Iterator;
import org.HdrHistogram.Histogram;

/**
 * One run's send/receive loop on a single thread: packet {@code k} is due at
 * {@code start + k / aggregatePps}, round-robin over the streams, and carries that intended time,
 * so latency counts the time a packet waited for a late sender (no coordinated omission). Between
 * sends the loop drains every readable endpoint.
 */
final class LoadRun {
    private static final long HIGHEST_LATENCY_NS = 60_000_000_000L;
    /** A send later than this behind its schedule counts as "behind". */
    static final long BEHIND_THRESHOLD_NS = 1_000_000L;

    private final LoadConfig config;
    private final LoadCalls calls;
    private final Histogram latencyNs = new Histogram(HIGHEST_LATENCY_NS, 3);
    private final Histogram sendLagNs = new Histogram(HIGHEST_LATENCY_NS, 3);
    private final long[] sentMeasured;
    private final long[] received;
    private final long[] highestSeq;
    private long reordered;
    private long duplicatesOrLate;
    private long sendErrors;
    private long foreign;
    private final ByteBuffer out = ByteBuffer.allocateDirect(2048).order(ByteOrder.BIG_ENDIAN);
    private final ByteBuffer in = ByteBuffer.allocateDirect(2048).order(ByteOrder.BIG_ENDIAN);

    LoadRun(LoadConfig config, LoadCalls calls) {
        this.config = config;
        this.calls = calls;
        int streams = config.streams();
        this.sentMeasured = new long[streams];
        this.received = new long[streams];
        this.highestSeq = new long[streams];
        java.util.Arrays.fill(highestSeq, -1);
    }

    LoadReport run() throws IOException {
        int streams = config.streams();
        long[] nextSeq = new long[streams];
        try (Selector selector = Selector.open()) {
            if (calls.shared == null) {
                for (int i = 0; i < streams; i++) {
                    calls.receivers[i].register(selector, SelectionKey.OP_READ, i);
                }
            }
            double intervalNs = 1e9 / config.aggregatePps();
            long startNs = System.nanoTime() + 50_000_000L;
            long measureFromNs = startNs + config.warmupNs();
            long endNs = measureFromNs + config.durationNs();
            long k = 0;
            long behind = 0;
            long sentTotal = 0;
            while (true) {
                long intendedNs = startNs + (long) (k * intervalNs);
                if (intendedNs - endNs >= 0) {
                    break;
                }
                long nowNs = System.nanoTime();
                if (intendedNs - nowNs <= 0) {
                    int stream = (int) (k % streams);
                    boolean measured = intendedNs - measureFromNs >= 0;
                    LoadPacketCodec.write(out, stream, nextSeq[stream]++, intendedNs, measured, config.payloadBytes());
                    try {
                        calls.senders[stream].send(out, calls.targets[stream]);
                    } catch (IOException e) {
                        sendErrors++;
                    }
                    if (measured) {
                        sentMeasured[stream]++;
                        long lagNs = nowNs - intendedNs;
                        sendLagNs.recordValue(Math.min(lagNs, HIGHEST_LATENCY_NS));
                        if (lagNs > BEHIND_THRESHOLD_NS) {
                            behind++;
                        }
                    }
                    sentTotal++;
                    k++;
                    if ((k & 15) != 0) {
                        continue; // send a burst that is due before polling
                    }
                }
                if (calls.shared != null) {
                    drainShared();
                } else {
                    if (intendedNs - nowNs > 2_000_000L) {
                        selector.select(1);
                    } else {
                        selector.selectNow();
                    }
                    drain(selector);
                }
            }
            long drainUntilNs = System.nanoTime() + config.drainNs();
            while (drainUntilNs - System.nanoTime() > 0) {
                if (calls.shared != null) {
                    drainShared();
                    Thread.onSpinWait();
                } else {
                    selector.select(10);
                    drain(selector);
                }
            }
            return report(sentTotal, behind);
        }
    }

    private void drain(Selector selector) throws IOException {
        Iterator<SelectionKey> it = selector.selectedKeys().iterator();
        while (it.hasNext()) {
            SelectionKey key = it.next();
            it.remove();
            int expectedStream = (Integer) key.attachment();
            DatagramChannel ch = (DatagramChannel) key.channel();
            while (true) {
                in.clear();
                if (ch.receive(in) == null) {
                    break;
                }
                long nowNs = System.nanoTime();
                if (in.position() < LoadPacketCodec.MEASURED_OFFSET + 1
                    || in.getInt(LoadPacketCodec.STREAM_OFFSET) != expectedStream) {
                    foreign++;
                    continue;
                }
                onPacket(expectedStream, nowNs);
            }
        }
    }

    /** Shared-socket mode: one socket receives every stream; the stamp names the stream. */
    private void drainShared() throws IOException {
        DatagramChannel ch = calls.shared;
        int streams = config.streams();
        while (true) {
            in.clear();
            if (ch.receive(in) == null) {
                return;
            }
            long nowNs = System.nanoTime();
            int stream = in.position() < LoadPacketCodec.MEASURED_OFFSET + 1 ? -1
                : in.getInt(LoadPacketCodec.STREAM_OFFSET);
            if (stream < 0 || stream >= streams) {
                foreign++;
                continue;
            }
            onPacket(stream, nowNs);
        }
    }

    private void onPacket(int stream, long nowNs) {
        long seq = in.getLong(LoadPacketCodec.SEQUENCE_OFFSET);
        if (seq <= highestSeq[stream]) {
            if (seq == highestSeq[stream]) {
                duplicatesOrLate++;
            } else {
                reordered++;
            }
        } else {
            highestSeq[stream] = seq;
        }
        if (in.get(LoadPacketCodec.MEASURED_OFFSET) == 1) {
            received[stream]++;
            long latency = nowNs - in.getLong(LoadPacketCodec.SEND_TIME_OFFSET);
            latencyNs.recordValue(Math.max(0, Math.min(latency, HIGHEST_LATENCY_NS)));
        }
    }

    private LoadReport report(long sentTotal, long behind) {
        long sent = 0;
        long got = 0;
        for (int i = 0; i < sentMeasured.length; i++) {
            sent += sentMeasured[i];
            got += received[i];
        }
        double seconds = config.durationNs() / 1e9;
        return new LoadReport(config, calls.viaRelay(), sent, got, sent / seconds, got / seconds, reordered,
            duplicatesOrLate, foreign, sendErrors, behind, sentTotal, latencyNs, sendLagNs);
    }
}
