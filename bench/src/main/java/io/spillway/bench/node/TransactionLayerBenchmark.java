package io.spillway.bench.node;

import io.spillway.node.sip.transaction.ServerTransaction;
import io.spillway.node.sip.transaction.TimerService;
import io.spillway.node.sip.transaction.TransactionLayer;
import io.spillway.node.sip.transaction.TransactionTimers;
import io.spillway.node.sip.transaction.TransactionUser;
import io.spillway.node.sip.transport.SipSource;
import io.spillway.node.sip.transport.SipTransportKind;
import io.spillway.sip.SipParseException;
import io.spillway.sip.SipParser;
import io.spillway.sip.SipRequest;
import io.spillway.sip.SipResponse;
import io.spillway.sip.SipResponseBuilder;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Per-message cost of the SIP transaction layer, above the parser: {@link #newTransaction} parses a
 * request, matches it (a miss), creates a server transaction, hands it to the user, which answers
 * 200 (over TCP, so the transaction ends at once and the table stays small); {@link #retransmission}
 * parses a retransmitted request, matches it to the live transaction and replays its response;
 * {@link #parseOnly} is the baseline: the parse alone. The difference is what the layer adds.
 *
 * <p>Run: {@code java -jar bench/target/benchmarks.jar TransactionLayerBenchmark -prof gc}
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(2)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class TransactionLayerBenchmark {
    private static final int DISTINCT = 4096;
    private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.1", 5999);
    private static final SipSource TCP = new SipSource(SipTransportKind.TCP, PEER, PEER, null);
    private static final SipSource UDP = new SipSource(SipTransportKind.UDP, PEER, PEER, null);

    private byte[][] requests;
    private byte[] retransmitted;
    private byte[] response;
    private int next;
    private long sentBytes;
    private TransactionLayer layer;

    static String options(String branch) {
        return "OPTIONS sip:bob@192.0.2.10:5060 SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP 198.51.100.10:5060;branch=z9hG4bK" + branch + ";rport\r\n"
            + "Max-Forwards: 70\r\n"
            + "From: \"Alice\" <sip:alice@example.com>;tag=1928301774\r\n"
            + "To: <sip:bob@example.net>\r\n"
            + "Call-ID: a84b4c76e66710@pc33.example.com\r\n"
            + "CSeq: 63104 OPTIONS\r\n"
            + "Contact: <sip:alice@198.51.100.10:5060>\r\n"
            + "Accept: application/sdp\r\n"
            + "Content-Length: 0\r\n\r\n";
    }

    @Setup
    public void setup() {
        requests = new byte[DISTINCT][];
        for (int i = 0; i < DISTINCT; i++) {
            requests[i] = options("bench" + i).getBytes(StandardCharsets.UTF_8);
        }
        retransmitted = options("live").getBytes(StandardCharsets.UTF_8);
        response = SipResponseBuilder.forRequest(SipParser.parseRequest(retransmitted.clone()), 200, "OK")
            .toTag("x").toBytes();
        TimerService noTimers = (task, delayMs) -> () -> { };
        layer = new TransactionLayer((bytes, to, onFailure) -> sentBytes += bytes.length, noTimers,
            TransactionTimers.DEFAULT);
        layer.user(new TransactionUser() {
            @Override
            public void onRequest(ServerTransaction transaction) {
                transaction.respond(200, response);
            }

            @Override
            public void onCancel(ServerTransaction cancel, ServerTransaction invite) {
            }

            @Override
            public void onAck(SipRequest ack, SipSource source) {
            }

            @Override
            public void onStrayResponse(SipResponse r, SipSource source) {
            }

            @Override
            public void onParseError(SipParseException error, SipSource source) {
            }
        });
        // the live transaction the retransmissions match: over UDP it stays (its timers never fire here)
        layer.onMessage(SipParser.parse(retransmitted.clone()), UDP);
    }

    @Benchmark
    public void newTransaction(Blackhole bh) {
        byte[] r = requests[next++ & (DISTINCT - 1)];
        layer.onMessage(SipParser.parse(r.clone()), TCP);
        bh.consume(sentBytes);
    }

    @Benchmark
    public void retransmission(Blackhole bh) {
        layer.onMessage(SipParser.parse(retransmitted.clone()), UDP);
        bh.consume(sentBytes);
    }

    @Benchmark
    public void parseOnly(Blackhole bh) {
        byte[] r = requests[next++ & (DISTINCT - 1)];
        bh.consume(SipParser.parse(r.clone()).topViaBranch());
    }
}
