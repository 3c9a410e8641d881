package io.spillway.bench.media;

import io.spillway.media.IpFamily;
import io.spillway.media.LegSpec;
import io.spillway.media.MediaConfig;
import io.spillway.media.MediaType;
import io.spillway.media.RelayEngine;
import io.spillway.media.SessionSpec;
import io.spillway.media.StreamPorts;
import io.spillway.media.StreamSpec;
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
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.List;
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

    private RelayEngine engine;
    private DatagramChannel caller;
    private DatagramChannel callee;
    private DatagramChannel directFrom;
    private DatagramChannel directTo;
    private ByteBuffer out;
    private ByteBuffer in;
    private long lost;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        engine = new RelayEngine(MediaConfig.builder().bindIpv4(loopback).eventLoops(1)
            .portRange(46100, 46199).quarantineMs(0).socketBufferBytes(1 << 20).build());
        engine.start();
        caller = open(loopback);
        callee = open(loopback);
        StreamPorts ports = engine.createSession(new SessionSpec("burst", 1, List.of(new StreamSpec(
            MediaType.AUDIO, 0,
            new LegSpec(IpFamily.IPV4, false, (InetSocketAddress) caller.getLocalAddress(), null),
            new LegSpec(IpFamily.IPV4, false, (InetSocketAddress) callee.getLocalAddress(), null)))), null)
            .get(10, TimeUnit.SECONDS).stream(0);
        caller.connect(new InetSocketAddress(loopback, ports.a().rtpPort()));
        callee.connect(new InetSocketAddress(loopback, ports.b().rtpPort()));
        directFrom = open(loopback);
        directTo = open(loopback);
        directFrom.connect(directTo.getLocalAddress());
        directTo.connect(directFrom.getLocalAddress());
        out = ByteBuffer.allocateDirect(12 + payloadBytes);
        out.put((byte) 0x80).put((byte) 0).putShort((short) 1).putInt(160).putInt(0x5EED);
        in = ByteBuffer.allocateDirect(2048);
    }

    private static DatagramChannel open(InetAddress address) throws IOException {
        DatagramChannel channel = DatagramChannel.open();
        channel.bind(new InetSocketAddress(address, 0));
        channel.setOption(StandardSocketOptions.SO_RCVBUF, 1 << 20);
        channel.configureBlocking(false);
        return channel;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        System.out.printf("%nlost datagrams: %d%n", lost);
        caller.close();
        callee.close();
        directFrom.close();
        directTo.close();
        engine.close();
    }

    @Benchmark
    @OperationsPerInvocation(BURST)
    public int throughRelay() throws IOException {
        return burst(caller, callee);
    }

    @Benchmark
    @OperationsPerInvocation(BURST)
    public int directBaseline() throws IOException {
        return burst(directFrom, directTo);
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
