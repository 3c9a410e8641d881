package io.spillway.bench.media;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.spillway.media.rtp.PacketClassifier;
import io.spillway.media.rtp.RtcpHeaderFlyweight;
import io.spillway.media.rtp.RtpHeaderFlyweight;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * RTP/RTCP header classification and parsing: the relay's flyweight over the pooled direct
 * {@link ByteBuf} against a naive parser that copies the datagram to a heap array and builds a
 * header object (what a straightforward implementation would do).
 *
 * <p>Run: {@code java -jar bench/target/benchmarks.jar RtpHeaderBenchmark -prof gc}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
@State(Scope.Thread)
public class RtpHeaderBenchmark {
    /** 160 = G.711 20 ms (172-byte RTP packet); 1200 = a typical video packet. */
    @Param({"160", "1200"})
    public int payloadBytes;

    private ByteBuf rtp;
    private ByteBuf rtcp;
    private final RtpHeaderFlyweight rtpHeader = new RtpHeaderFlyweight();
    private final RtcpHeaderFlyweight rtcpHeader = new RtcpHeaderFlyweight();

    @Setup(Level.Trial)
    public void setUp() {
        rtp = PooledByteBufAllocator.DEFAULT.directBuffer(12 + payloadBytes);
        rtp.writeByte(0x80).writeByte(0).writeShort(4711).writeInt(123_456).writeInt(0x5EED)
            .writeZero(payloadBytes);
        rtcp = PooledByteBufAllocator.DEFAULT.directBuffer(8);
        rtcp.writeByte(0x80).writeByte(201).writeShort(1).writeInt(0x5EED);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        rtp.release();
        rtcp.release();
    }

    @Benchmark
    public void flyweightRtp(Blackhole bh) {
        int kind = PacketClassifier.classify(rtp, false, 1500);
        rtpHeader.wrap(rtp);
        bh.consume(kind);
        bh.consume(rtpHeader.sequenceNumber());
        bh.consume(rtpHeader.timestamp());
        bh.consume(rtpHeader.ssrc());
        bh.consume(rtpHeader.payloadType());
    }

    @Benchmark
    public void flyweightRtcpMuxed(Blackhole bh) {
        int kind = PacketClassifier.classify(rtcp, false, 1500);
        rtcpHeader.wrap(rtcp);
        bh.consume(kind);
        bh.consume(rtcpHeader.packetType());
        bh.consume(rtcpHeader.senderSsrc());
    }

    @Benchmark
    public void naiveCopyAndParseRtp(Blackhole bh) {
        byte[] copy = new byte[rtp.readableBytes()];
        rtp.getBytes(rtp.readerIndex(), copy);
        bh.consume(NaiveRtpHeader.parse(copy));
    }

    /** The baseline: a heap copy parsed into an object, validated with exceptions. */
    record NaiveRtpHeader(int version, int payloadType, int sequence, long timestamp, long ssrc, byte[] payload) {
        static NaiveRtpHeader parse(byte[] datagram) {
            if (datagram.length < 12) {
                throw new IllegalArgumentException("short");
            }
            ByteBuffer b = ByteBuffer.wrap(datagram);
            int first = b.get() & 0xFF;
            int version = first >>> 6;
            if (version != 2) {
                throw new IllegalArgumentException("version " + version);
            }
            int pt = b.get() & 0x7F;
            int seq = b.getShort() & 0xFFFF;
            long ts = b.getInt() & 0xFFFFFFFFL;
            long ssrc = b.getInt() & 0xFFFFFFFFL;
            byte[] payload = new byte[datagram.length - 12];
            b.get(payload);
            return new NaiveRtpHeader(version, pt, seq, ts, ssrc, payload);
        }
    }
}
