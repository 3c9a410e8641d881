package io.spillway.bench.media;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
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
 * Bursts of {@value #BURST} packets through one relay session on one event loop over loopback
 * (send the burst to leg A, then drain it from leg B), against the same burst sent directly. A burst
 * lets the relay read several datagrams per recvmmsg. Score is per packet; the benchmark thread
 * does both the sending and the receiving, so on a small machine it competes with the relay loop.
 *
 * <p>Run: {@code java -jar bench/target/benchmarks.jar RelayThroughputBenchmark -prof gc}
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
@State(Scope.Thread)
public class RelayThroughputBenchmark {
    static final int BURST = 32;
    private static final long DRAIN_TIMEOUT_NS = 100_000_000L;

    @Param({"160", "1200"})
    public int payloadBytes;

    private LoopbackRelayFixture relay;
    private ByteBuffer out;
    private ByteBuffer in;
    private long lost;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        relay = new LoopbackRelayFixture(46100, 46199, 1 << 20);
        out = LoopbackRelayFixture.rtpPacket(payloadBytes);
        in = ByteBuffer.allocateDirect(2048);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        System.out.printf("%nlost datagrams: %d%n", lost);
        relay.close();
    }

    @Benchmark
    @OperationsPerInvocation(BURST)
    public int throughRelay() throws IOException {
        return burst(relay.caller, relay.callee);
    }

    @Benchmark
    @OperationsPerInvocation(BURST)
    public int directBaseline() throws IOException {
        return burst(relay.directFrom, relay.directTo);
    }

    private int burst(DatagramChannel from, DatagramChannel to) throws IOException {
        for (int i = 0; i < BURST; i++) {
            out.clear();
            from.write(out);
        }
        int received = 0;
        long deadline = System.nanoTime() + DRAIN_TIMEOUT_NS;
        while (received < BURST) {
            in.clear();
            if (to.read(in) > 0) {
                received++;
            } else if (System.nanoTime() - deadline > 0) {
                lost += BURST - received;
                break;
            } else {
                Thread.onSpinWait();
            }
        }
        return received;
    }
}
