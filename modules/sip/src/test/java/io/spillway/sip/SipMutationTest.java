package io.spillway.sip;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.spillway.sip.sdp.SdpSession;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Random mutations of the fixture and RFC 4475 corpus (bit flips, byte replacement with
 * syntax-relevant values, insertion, deletion, duplication, splicing, truncation). For each case
 * the parser must either return a message or throw {@link SipParseException}; a parsed message must
 * survive every accessor, {@code validate()}, SDP parsing of its body, and proxy edits whose output
 * parses again. The stream framer gets the same bytes in random chunks. 100k cases with a fixed
 * seed (override with {@code -Dsip.mutation.seed=N}), stopped after 20 s on a slow machine; the
 * class timeout bounds any hang.
 */
@Tag("slow")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SipMutationTest {
    private static final int CASES = 100_000;
    private static final long BUDGET_NS = TimeUnit.SECONDS.toNanos(20);
    private static final byte[] INTERESTING = {
        '\r', '\n', ' ', '\t', ':', ';', ',', '"', '<', '>', '\\', '=', '@', '/', '0', '9', '-', '%', '[', ']', 0,
        (byte) 0xff, (byte) 0xc3, 0x7f, 'l', 'v',
    };

    static List<byte[]> corpus() throws IOException, URISyntaxException {
        List<byte[]> out = new ArrayList<>();
        for (String dir : new String[] {"/fixtures", "/rfc4475/valid", "/rfc4475/invalid", "/rfc4475/semantic"}) {
            Path p = Path.of(SipMutationTest.class.getResource(dir).toURI());
            try (Stream<Path> files = Files.list(p)) {
                for (Path f : files.filter(x -> x.toString().endsWith(".sip")).sorted().toList()) {
                    try (InputStream in = Files.newInputStream(f)) {
                        out.add(in.readAllBytes());
                    }
                }
            }
        }
        return out;
    }

    @Test
    void parserNeverThrowsAnythingElseAndNeverHangs() throws Exception {
        long seed = Long.getLong("sip.mutation.seed", 0x5EED_51D0L);
        System.out.println("SipMutationTest seed=" + seed + " (rerun with -Dsip.mutation.seed=" + seed + ")");
        List<byte[]> corpus = corpus();
        SplittableRandom rnd = new SplittableRandom(seed);
        long startNs = System.nanoTime();
        long slowestNs = 0;
        int parsed = 0;
        int rejected = 0;
        int n = 0;
        for (; n < CASES; n++) {
            if (System.nanoTime() - startNs - BUDGET_NS > 0) {
                break;
            }
            byte[] input = mutate(corpus, rnd);
            long t0 = System.nanoTime();
            try {
                if (exercise(input)) {
                    parsed++;
                } else {
                    rejected++;
                }
                frame(input, rnd);
            } catch (Throwable t) {
                fail("case " + n + " seed " + seed + " threw " + t + " for input "
                        + HexFormat.of().formatHex(input), t);
            }
            slowestNs = Math.max(slowestNs, System.nanoTime() - t0);
        }
        System.out.printf("SipMutationTest: %d cases (%d parsed, %d rejected) in %d ms, slowest case %d us%n", n,
                parsed, rejected, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs), slowestNs / 1000);
        assertTrue(n >= 1000, "too few cases ran: " + n);
        assertTrue(parsed > 0 && rejected > 0, "mutations should both pass and fail");
    }

    /** Returns true when the input parsed. */
    static boolean exercise(byte[] input) {
        SipMessage m;
        try {
            m = SipParser.parse(input);
        } catch (SipParseException e) {
            SipResponseBuilder b = SipResponseBuilder.forParseError(e);
            if (b != null) {
                SipParser.parseResponse(b.toBytes());
            }
            return false;
        }
        m.callId();
        m.cseq();
        m.fromTag();
        m.toTag();
        m.topViaBranch();
        m.maxForwards();
        m.contentLength();
        m.contentType();
        m.body();
        for (int i = 0; i < m.headerCount(); i++) {
            m.headerName(i);
            m.headerValue(i);
        }
        tolerate(m::validate);
        tolerate(m::vias);
        tolerate(m::topVia);
        tolerate(m::from);
        tolerate(m::to);
        tolerate(m::contacts);
        tolerate(m::routes);
        tolerate(m::recordRoutes);
        tolerate(m::expires);
        tolerate(m::authorization);
        tolerate(m::wwwAuthenticate);
        tolerate(() -> m.contacts().forEach(c -> {
            c.expires();
            c.q();
        }));
        tolerate(() -> m.vias().forEach(v -> {
            v.rport();
            v.ttl();
        }));
        if (m instanceof SipRequest r) {
            tolerate(r::requestUri);
        }
        tolerate(() -> {
            SdpSession s = SdpSession.parse(m.body());
            s.connection();
            s.originAddress();
            s.media().forEach(x -> {
                x.port();
                x.rtcpPort();
                x.rtpmaps();
                x.direction();
                x.formats();
                x.rtcpAddress();
                x.effectiveConnection();
            });
            s.setConnectionAddress("192.0.2.1", true);
            s.media().forEach(x -> {
                x.setPort(30000);
                x.setRtcp(30001, null);
            });
            SdpSession.parse(s.toBytes());
        });
        byte[] out = m.toBytes();
        if (!java.util.Arrays.equals(out, 0, out.length, input, input.length - out.length - trailing(m, input),
                input.length - trailing(m, input))) {
            // unedited output must equal the input minus leading CRLFs and trailing datagram bytes
            fail("unedited output differs from input");
        }
        m.pushVia(Via.format("UDP", "192.0.2.1", 5060, "z9hG4bKmut", true));
        m.decrementMaxForwards();
        if (m instanceof SipRequest r && r.indexOf(SipHeaders.ROUTE) >= 0) {
            r.removeTopRoute();
        }
        SipParser.parse(m.toBytes());
        return true;
    }

    private static int trailing(SipMessage m, byte[] input) {
        return input.length - (m.bodyStart + m.bodyLength);
    }

    static void frame(byte[] input, SplittableRandom rnd) {
        SipStreamFramer f = new SipStreamFramer();
        SipStreamFramer.Sink sink = new SipStreamFramer.Sink() {
            @Override
            public void message(SipMessage message) {
                message.callId();
            }

            @Override
            public void error(SipParseException error, boolean fatal) {
                error.reason();
            }
        };
        int p = 0;
        while (p < input.length) {
            int len = Math.min(input.length - p, 1 + rnd.nextInt(300));
            if (!f.decode(input, p, len, sink)) {
                return;
            }
            p += len;
        }
    }

    private static void tolerate(Runnable r) {
        try {
            r.run();
        } catch (SipParseException expected) {
            // a malformed structured value: the allowed outcome
        }
    }

    static byte[] mutate(List<byte[]> corpus, SplittableRandom rnd) {
        byte[] b = corpus.get(rnd.nextInt(corpus.size())).clone();
        int ops = 1 + rnd.nextInt(4);
        for (int k = 0; k < ops && b.length > 0; k++) {
            int at = rnd.nextInt(b.length);
            switch (rnd.nextInt(8)) {
                case 0 -> b[at] ^= (byte) (1 << rnd.nextInt(8));
                case 1 -> b[at] = INTERESTING[rnd.nextInt(INTERESTING.length)];
                case 2 -> b = insert(b, at, new byte[] {INTERESTING[rnd.nextInt(INTERESTING.length)]});
                case 3 -> b = delete(b, at, Math.min(b.length - at, 1 + rnd.nextInt(16)));
                case 4 -> {
                    int len = Math.min(b.length - at, 1 + rnd.nextInt(64));
                    b = insert(b, at, java.util.Arrays.copyOfRange(b, at, at + len));
                }
                case 5 -> {
                    byte[] other = corpus.get(rnd.nextInt(corpus.size()));
                    int from = rnd.nextInt(other.length);
                    byte[] tail = java.util.Arrays.copyOfRange(other, from, other.length);
                    b = insert(java.util.Arrays.copyOf(b, at), at, tail);
                }
                case 6 -> b = java.util.Arrays.copyOf(b, at);
                default -> {
                    // a digit run grown into a huge number
                    b = insert(b, at, "99999999999999999999".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                }
            }
        }
        return b;
    }

    private static byte[] insert(byte[] b, int at, byte[] ins) {
        byte[] out = new byte[b.length + ins.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(ins, 0, out, at, ins.length);
        System.arraycopy(b, at, out, at + ins.length, b.length - at);
        return out;
    }

    private static byte[] delete(byte[] b, int at, int len) {
        byte[] out = new byte[b.length - len];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(b, at + len, out, at, b.length - at - len);
        return out;
    }
}
