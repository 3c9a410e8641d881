package io.spillway.bench.media;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.spillway.media.IpFamily;
import io.spillway.media.LatchingMode;
import io.spillway.media.LegSpec;
import io.spillway.media.MediaType;
import io.spillway.media.StreamSpec;
import io.spillway.media.relay.DetachedRelay;
import io.spillway.media.relay.RelayEndpoint;
import io.spillway.media.relay.RelayLeg;
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

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The per-packet forwarding decision without sockets: classify, strict-source check, RTP
 * sequence/jitter statistics, per-direction and per-loop counters, destination choice. Against a
 * naive baseline that looks the session up in a boxed {@code HashMap} by port and counts in
 * {@code AtomicLong}s (what a lock-free-but-unthinking design would do).
 *
 * <p>Run: {@code java -jar bench/target/benchmarks.jar ForwardingDecisionBenchmark -prof gc}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
@State(Scope.Thread)
public class ForwardingDecisionBenchmark {
    @Param({"160", "1200"})
    public int payloadBytes;

    private ByteBuf packet;
    private RelayLeg legA;
    private RelayEndpoint inA;
    private InetSocketAddress caller;
    private long nowNs;
    private int seq;
    private EmbeddedChannel[] channels;

    private final Map<Integer, NaiveLeg> naiveTable = new HashMap<>();

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        caller = new InetSocketAddress(loopback, 20000);
        InetSocketAddress callee = new InetSocketAddress(loopback, 20002);
        channels = new EmbeddedChannel[] {new EmbeddedChannel(), new EmbeddedChannel(),
            new EmbeddedChannel(), new EmbeddedChannel()};
        StreamSpec spec = new StreamSpec(MediaType.AUDIO, 0, new LegSpec(IpFamily.IPV4, false, caller, null),
            new LegSpec(IpFamily.IPV4, false, callee, null));
        DetachedRelay relay = new DetachedRelay(spec, LatchingMode.DEFAULT, 1500, () -> nowNs, channels);
        legA = relay.a();
        inA = legA.rtpEndpoint();
        packet = PooledByteBufAllocator.DEFAULT.directBuffer(12 + payloadBytes);
        packet.writeByte(0x80).writeByte(0).writeShort(0).writeInt(0).writeInt(0x5EED).writeZero(payloadBytes);
        for (int port = 30000; port < 40000; port += 2) {
            naiveTable.put(port, new NaiveLeg(callee));
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        packet.release();
        for (EmbeddedChannel c : channels) {
            c.finishAndReleaseAll();
        }
    }

    @Benchmark
    public RelayEndpoint relayDecision() {
        int s = seq++;
        packet.setShort(2, s);
        packet.setInt(4, s * 160);
        nowNs += 20_000_000L;
        return legA.receive(packet, caller, inA, nowNs);
    }

    @Benchmark
    public InetSocketAddress naiveDecision() {
        int s = seq++;
        packet.setShort(2, s);
        NaiveLeg leg = naiveTable.get(30000 + 2 * (s % 5000));
        if (leg == null || packet.readableBytes() < 12 || (packet.getByte(0) & 0xC0) != 0x80) {
            return null;
        }
        leg.packets.incrementAndGet();
        leg.bytes.addAndGet(packet.readableBytes());
        return leg.destination;
    }

    /** The baseline's per-leg state. */
    static final class NaiveLeg {
        final InetSocketAddress destination;
        final AtomicLong packets = new AtomicLong();
        final AtomicLong bytes = new AtomicLong();

        NaiveLeg(InetSocketAddress destination) {
            this.destination = destination;
        }
    }
}
