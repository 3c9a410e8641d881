package io.spillway.bench.media;

import io.spillway.media.relay.RelayLatency;
import org.HdrHistogram.Histogram;
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

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.TimeUnit;

/**
 * One packet at a time through the relay over real loopback UDP sockets (send to leg A, receive
 * from leg B), against the same send/receive directly between the two sockets. The difference is
 * the relay's added one-way latency including one extra kernel UDP hop. Sample mode, so the
 * percentiles show through the noise of a shared machine; a datagram not seen within 100 ms
 * counts as lost (printed at the end). With
 * {@code -Dspillway.media.latency=true} (add {@code -jvmArgsAppend}) the relay's own read-to-write
 * time is also printed as HdrHistogram percentiles.
 *
 * <p>Run: {@code java -jar bench/target/benchmarks.jar RelayLoopbackBenchmark -prof gc}
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
@State(Scope.Thread)
public class RelayLoopbackBenchmark {
    private static final long RECEIVE_TIMEOUT_NS = 100_000_000L;

    @Param({"160", "1200"})
    public int payloadBytes;

    private LoopbackRelayFixture relay;
    private ByteBuffer out;
    private ByteBuffer in;
    private long lost;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        relay = new LoopbackRelayFixture(46000, 46099, 0);
        out = LoopbackRelayFixture.rtpPacket(payloadBytes);
        in = ByteBuffer.allocateDirect(2048);
        if (RelayLatency.ENABLED) {
            RelayLatency.intervalHistogram(null);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        if (RelayLatency.ENABLED) {
            Histogram h = RelayLatency.intervalHistogram(null);
            System.out.printf("%nrelay read-to-write ns: p50=%d p99=%d p99.9=%d max=%d (n=%d)%n",
                h.getValueAtPercentile(50), h.getValueAtPercentile(99), h.getValueAtPercentile(99.9),
                h.getMaxValue(), h.getTotalCount());
        }
        System.out.printf("%nlost datagrams: %d%n", lost);
        relay.close();
    }

    @Benchmark
    public int throughRelay() throws IOException {
        return roundTrip(relay.caller, relay.callee);
    }

    @Benchmark
    public int directBaseline() throws IOException {
        return roundTrip(relay.directFrom, relay.directTo);
    }

    private int roundTrip(DatagramChannel from, DatagramChannel to) throws IOException {
        out.clear();
        from.write(out);
        long deadline = System.nanoTime() + RECEIVE_TIMEOUT_NS;
        while (true) {
            in.clear();
            int n = to.read(in);
            if (n > 0) {
                return n;
            }
            if (System.nanoTime() - deadline > 0) {
                lost++;
                return -1;
            }
            Thread.onSpinWait();
        }
    }
}
