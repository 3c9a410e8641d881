package io.spillway.bench.cluster;

import io.spillway.cluster.Placement;

import java.util.concurrent.TimeUnit;

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

/**
 * Placement latency (request → result) along a real loopback chain whose nodes are all full but
 * the last, for chain lengths 1, 2, 4, 8 (1 = the origin takes the call itself). Sample mode gives
 * percentiles; {@link ChainLatencyRun} records the same with HdrHistogram plus datagram counts.
 *
 * <pre>
 * mvn -B -q -o -pl bench -am package -DskipTests
 * java -jar bench/target/benchmarks.jar ChainPlacementBenchmark
 * </pre>
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
@State(Scope.Benchmark)
public class ChainPlacementBenchmark {
    @Param({"1", "2", "4", "8"})
    public int chainLength;

    private LoopbackChain chain;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        chain = new LoopbackChain(chainLength, false);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        chain.close();
    }

    @Benchmark
    public Placement place() throws Exception {
        return chain.placeAndRelease();
    }
}
