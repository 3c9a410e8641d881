package io.spillway.loadgen;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Iterator;

/**
 * One run's send/receive loop on a single thread: packet {@code k} is due at
 * {@code start + k / aggregatePps}, round-robin over the streams, and carries that intended time,
 * so latency counts the time a packet waited for a late sender (no coordinated omission). Between
 * sends the loop drains every readable endpoint.
 */
final class LoadRun {
    private final LoadConfig config;
    private final LoadCalls calls;
    private final LoadRecorder recorder;
    private final ByteBuffer out = ByteBuffer.allocateDirect(2048).order(ByteOrder.BIG_ENDIAN);
    private final ByteBuffer in = ByteBuffer.allocateDirect(2048).order(ByteOrder.BIG_ENDIAN);

    LoadRun(LoadConfig config, LoadCalls calls) {
        this.config = config;
        this.calls = calls;
        this.recorder = new LoadRecorder(config.streams());
    }

    LoadReport run() throws IOException {
        int streams = config.streams();
        long[] nextSeq = new long[streams];
        try (Selector selector = Selector.open()) {
            for (int i = 0; i < streams; i++) {
                calls.receivers[i].register(selector, SelectionKey.OP_READ, i);
            }
            double intervalNs = 1e9 / config.aggregatePps();
            long startNs = System.nanoTime() + 50_000_000L;
            long measureFromNs = startNs + config.warmupNs();
            long endNs = measureFromNs + config.durationNs();
            long k = 0;
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
                        recorder.sendError();
                    }
                    recorder.sent(stream, intendedNs, nowNs, measured);
                    k++;
                    if ((k & 15) != 0) {
                        continue; // send a burst that is due before polling
                    }
                }
                if (intendedNs - nowNs > 2_000_000L) {
                    selector.select(1);
                } else {
                    selector.selectNow();
                }
                drain(selector);
            }
            long drainUntilNs = System.nanoTime() + config.drainNs();
            while (drainUntilNs - System.nanoTime() > 0) {
                selector.select(10);
                drain(selector);
            }
            return recorder.report(config, calls.viaRelay());
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
                    recorder.foreign();
                    continue;
                }
                recorder.received(expectedStream, in.getLong(LoadPacketCodec.SEQUENCE_OFFSET),
                    in.getLong(LoadPacketCodec.SEND_TIME_OFFSET), in.get(LoadPacketCodec.MEASURED_OFFSET) == 1, nowNs);
            }
        }
    }
}
