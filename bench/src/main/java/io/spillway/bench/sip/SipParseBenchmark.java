package io.spillway.bench.sip;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.spillway.sip.SipMessage;
import io.spillway.sip.SipParser;
import io.spillway.sip.Via;
import io.spillway.sip.sdp.SdpMedia;
import io.spillway.sip.sdp.SdpSession;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
 * SIP-lite parse cost on a ~1 KB INVITE with an audio+video SDP, the way a proxy uses it: parse a
 * received datagram (direct {@code ByteBuf}, as Netty delivers it) and read Via branch, Call-ID,
 * CSeq, From tag, To tag, Max-Forwards and Content-Length; parse, push a Via, decrement
 * Max-Forwards and serialise; parse and rewrite the SDP for the relay. {@link #naiveSplitParse}
 * is the baseline: a String.split parser reading the same values.
 *
 * <p>Targets: at least 500,000 {@code parseInvite} ops/s on one core and at most 2 KB allocated
 * per parsed message ({@code gc.alloc.rate.norm}).
 *
 * <p>Run: {@code java -jar bench/target/benchmarks.jar SipParseBenchmark -prof gc}
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(2)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Thread)
public class SipParseBenchmark {
    static final String SDP = "v=0\r\n"
            + "o=alice 2890844526 2890844526 IN IP4 198.51.100.10\r\n"
            + "s=-\r\n"
            + "c=IN IP4 198.51.100.10\r\n"
            + "t=0 0\r\n"
            + "m=audio 49170 RTP/AVP 0 8 101\r\n"
            + "a=rtpmap:0 PCMU/8000\r\n"
            + "a=rtpmap:8 PCMA/8000\r\n"
            + "a=rtpmap:101 telephone-event/8000\r\n"
            + "a=fmtp:101 0-16\r\n"
            + "a=ptime:20\r\n"
            + "a=sendrecv\r\n"
            + "m=video 51372 RTP/AVP 96\r\n"
            + "a=rtpmap:96 H264/90000\r\n"
            + "a=fmtp:96 profile-level-id=42e01f;packetization-mode=1\r\n";
    static final String INVITE = "INVITE sip:bob@example.net SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP 198.51.100.10:5060;branch=z9hG4bK776asdhds;rport\r\n"
            + "Max-Forwards: 70\r\n"
            + "To: Bob <sip:bob@example.net>\r\n"
            + "From: \"Alice\" <sip:alice@example.com>;tag=1928301774\r\n"
            + "Call-ID: a84b4c76e66710@pc33.example.com\r\n"
            + "CSeq: 314159 INVITE\r\n"
            + "Contact: <sip:alice@198.51.100.10:5060;transport=udp>\r\n"
            + "Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, UPDATE\r\n"
            + "Supported: replaces, timer\r\n"
            + "User-Agent: Softphone 1.0\r\n"
            + "Content-Type: application/sdp\r\n"
            + "Content-Length: " + SDP.length() + "\r\n"
            + "\r\n" + SDP;
    static final String NEW_VIA = Via.format("UDP", "203.0.113.1", 5060, "z9hG4bKspillway1", true);

    private ByteBuf datagram;
    private ByteBuf out;
    private byte[] inviteBytes;
    private byte[] sdpBytes;

    @Setup(Level.Trial)
    public void setUp() {
        inviteBytes = INVITE.getBytes(StandardCharsets.US_ASCII);
        sdpBytes = SDP.getBytes(StandardCharsets.US_ASCII);
        datagram = Unpooled.directBuffer(inviteBytes.length).writeBytes(inviteBytes);
        out = Unpooled.directBuffer(4096);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        datagram.release();
        out.release();
    }

    /** Parse a datagram and read what a proxy reads for every message. */
    @Benchmark
    public void parseInvite(Blackhole bh) {
        SipMessage m = SipParser.parse(datagram);
        bh.consume(m.topViaBranch());
        bh.consume(m.callId());
        bh.consume(m.cseqNumber());
        bh.consume(m.cseqMethod());
        bh.consume(m.fromTag());
        bh.consume(m.toTag());
        bh.consume(m.maxForwards());
        bh.consume(m.contentLength());
    }

    /** Parse, push a Via, decrement Max-Forwards, serialise into a reused buffer. */
    @Benchmark
    public void parseEditSerialize(Blackhole bh) {
        SipMessage m = SipParser.parse(datagram);
        bh.consume(m.topViaBranch());
        m.pushVia(NEW_VIA);
        bh.consume(m.decrementMaxForwards());
        out.clear();
        m.writeTo(out);
        bh.consume(out.writerIndex());
    }

    /** Parse the SDP and point every stream at the relay. */
    @Benchmark
    public byte[] sdpParseRewrite() {
        SdpSession s = SdpSession.parse(sdpBytes);
        s.setConnectionAddress("203.0.113.1", true);
        int port = 30000;
        for (SdpMedia m : s.media()) {
            m.setPort(port);
            m.setRtcp(port + 1, null);
            port += 2;
        }
        return s.toBytes();
    }

    /** Baseline: the obvious String.split parser, reading the same values as {@link #parseInvite}. */
    @Benchmark
    public void naiveSplitParse(Blackhole bh) {
        byte[] b = new byte[datagram.readableBytes()];
        datagram.getBytes(datagram.readerIndex(), b);
        String text = new String(b, StandardCharsets.UTF_8);
        int split = text.indexOf("\r\n\r\n");
        String[] lines = text.substring(0, split).split("\r\n");
        Map<String, String> headers = new HashMap<>();
        for (int i = 1; i < lines.length; i++) {
            String[] nv = lines[i].split(":", 2);
            headers.putIfAbsent(nv[0].trim().toLowerCase(), nv[1].trim());
        }
        bh.consume(lines[0].split(" "));
        bh.consume(param(headers.get("via"), "branch"));
        bh.consume(headers.get("call-id"));
        String[] cseq = headers.get("cseq").split("\\s+");
        bh.consume(Long.parseLong(cseq[0]));
        bh.consume(cseq[1]);
        bh.consume(param(headers.get("from"), "tag"));
        bh.consume(param(headers.get("to"), "tag"));
        bh.consume(Integer.parseInt(headers.get("max-forwards")));
        bh.consume(Integer.parseInt(headers.get("content-length")));
        bh.consume(text.substring(split + 4));
    }

    private static String param(String value, String name) {
        for (String p : value.split(";")) {
            String[] kv = p.trim().split("=", 2);
            if (kv[0].equalsIgnoreCase(name)) {
                return kv.length > 1 ? kv[1] : "";
            }
        }
        return null;
    }
}
