package io.spillway.bench.cluster;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.spillway.cluster.protocol.ConnectFlyweight;
import io.spillway.cluster.protocol.ControlCodec;
import io.spillway.cluster.protocol.HeaderFlyweight;
import io.spillway.cluster.protocol.MessageType;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.concurrent.TimeUnit;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Cost of framing, signing and verifying one CONNECT datagram (HMAC-SHA256 dominates), against a
 * naive baseline that allocates a {@code Mac} and arrays per datagram.
 *
 * <pre>
 * mvn -B -q -o -pl bench -am package -DskipTests
 * java -jar bench/target/benchmarks.jar ControlCodecBenchmark -prof gc
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
@State(Scope.Thread)
public class ControlCodecBenchmark {
    private static final byte[] SECRET = "benchmark-cluster-secret-32-byte".getBytes(StandardCharsets.US_ASCII);
    private final ControlCodec codec = new ControlCodec(SECRET);
    private ByteBuf out;
    private ByteBuf signed;
    private long timestampUs;

    @Setup(Level.Trial)
    public void setUp() {
        out = Unpooled.directBuffer(128);
        signed = Unpooled.directBuffer(128);
        encode(signed, 1);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        out.release();
        signed.release();
    }

    private void encode(final ByteBuf buf, final long ts) {
        buf.clear();
        final int base = codec.begin(buf, MessageType.CONNECT, 0x0001_0000_0000_0042L, 1, 2, ts);
        ConnectFlyweight.put(buf, HeaderFlyweight.bodyIndex(base), 8_000, 50, 1);
        codec.finish(buf, base);
    }

    @Benchmark
    public int encodeAndSign() {
        encode(out, ++timestampUs);
        return out.readableBytes();
    }

    @Benchmark
    public int verify() {
        return codec.verify(signed);
    }

    /** Baseline: new Mac per datagram, copies into fresh arrays, MessageDigest.isEqual. */
    @Benchmark
    public void naiveVerify(final Blackhole bh) throws GeneralSecurityException {
        final byte[] bytes = new byte[signed.readableBytes()];
        signed.getBytes(signed.readerIndex(), bytes);
        final Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET, "HmacSHA256"));
        mac.update(bytes, 0, bytes.length - HeaderFlyweight.MAC_LENGTH);
        final byte[] expected = mac.doFinal();
        final byte[] actual = new byte[HeaderFlyweight.MAC_LENGTH];
        System.arraycopy(bytes, bytes.length - HeaderFlyweight.MAC_LENGTH, actual, 0, actual.length);
        bh.consume(MessageDigest.isEqual(expected, actual));
    }
}
