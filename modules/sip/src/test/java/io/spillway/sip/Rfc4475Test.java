package io.spillway.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every RFC 4475 torture message, with the decision taken for it. "parse" means
 * {@link SipParser#parse} and {@link SipMessage#validate()} both succeed; "reject" means one of
 * them throws {@link SipParseException} ("400" when it carries an answerable request, "drop" when
 * not); "parse, validate rejects" marks semantic messages that are syntactically fine but break a
 * rule {@code validate()} checks.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class Rfc4475Test {

    /** name -> expected outcome; the comment gives the RFC 4475 reasoning. */
    /** Answerable cases whose broken header is one a response echoes (top Via, To, CSeq): dropped. */
    static final java.util.Set<String> ECHO_BROKEN =
            java.util.Set.of("invalid/badinv01", "invalid/scalar02", "invalid/quotbal", "invalid/badaspec");

    static final Map<String, String> EXPECT = new LinkedHashMap<>();

    static {
        // 3.1.1 valid: every one must parse and validate.
        for (String v : new String[] {"wsinv", "intmeth", "esc01", "escnull", "esc02", "lwsdisp", "longreq",
            "dblreq", "semiuri", "transports", "mpart01", "unreason", "noreason"}) {
            EXPECT.put("valid/" + v, "parse");
        }
        // 3.1.2 invalid.
        EXPECT.put("invalid/badinv01", "400");   // empty Via/Contact params ";;,;,," (validate)
        EXPECT.put("invalid/clerr", "400");      // Content-Length 9999 > datagram
        EXPECT.put("invalid/ncl", "400");        // Content-Length -999
        EXPECT.put("invalid/scalar02", "400");   // CSeq 2^65, Max-Forwards 300
        EXPECT.put("invalid/scalarlg", "drop");  // response: CSeq too large; responses are never answered
        EXPECT.put("invalid/quotbal", "400");    // unterminated quote in To display name (validate)
        EXPECT.put("invalid/ltgtruri", "400");   // Request-URI in <>
        EXPECT.put("invalid/lwsruri", "400");    // LWS inside Request-URI
        EXPECT.put("invalid/lwsstart", "400");   // two SPs after the method
        EXPECT.put("invalid/trws", "400");       // SP after SIP/2.0
        EXPECT.put("invalid/escruri", "400");    // headers (?Route=) in a SIP Request-URI
        EXPECT.put("invalid/baddate", "400");    // Date in EST, SIP-date must be GMT (validate)
        EXPECT.put("invalid/regbadct", "400");   // Contact addr-spec with '?' not in <> (validate)
        EXPECT.put("invalid/badaspec", "400");   // "< sip:... >": LWS inside <> (validate)
        EXPECT.put("invalid/baddn", "drop");     // archive has no empty line after headers: truncated
        EXPECT.put("invalid/badvers", "505");    // SIP/7.0 -> 505 Version Not Supported
        EXPECT.put("invalid/mismatch01", "400"); // CSeq method OPTIONS vs INVITE
        EXPECT.put("invalid/mismatch02", "400"); // unknown method vs CSeq INVITE
        EXPECT.put("invalid/bigcode", "drop");   // response status 4294967301
        // 3.2 / 3.3 / 3.4 semantic: syntactically valid; the transaction/UA layer decides.
        for (String v : new String[] {"badbranch", "unkscm", "novelsc", "unksm2", "bext01", "invut", "regaut01",
            "bcast", "zeromf", "cparam01", "cparam02", "regescrt", "sdp01", "inv2543"}) {
            EXPECT.put("semantic/" + v, "parse");
        }
        // 3.3.1: no Call-ID, From, To. RFC: respond 400 if possible; a response cannot be formed
        // without From/To/Call-ID, so the parser rejects it as unanswerable.
        EXPECT.put("semantic/insuf", "drop");
        // 3.3.8: single-valued headers (CSeq, Call-ID, From, To, Max-Forwards) repeated. It parses
        // (first value wins); validate() rejects it so a proxy answers 400, as the RFC suggests.
        EXPECT.put("semantic/multi01", "parse, validate rejects");
        // 3.3.9: conflicting Content-Length values; the RFC says framing is then impossible and
        // the element responds with an error (and closes a stream connection).
        EXPECT.put("semantic/mcl01", "400");
    }

    static Stream<Arguments> files() {
        return EXPECT.entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    static byte[] load(String name) throws IOException {
        try (InputStream in = Rfc4475Test.class.getResourceAsStream("/rfc4475/" + name + ".sip")) {
            assertNotNull(in, name);
            return in.readAllBytes();
        }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("files")
    void outcomeMatchesDecision(String name, String expected) throws IOException {
        byte[] bytes = load(name);
        switch (expected) {
            case "parse" -> {
                SipMessage m = SipParser.parse(bytes);
                m.validate();
                if (m instanceof SipRequest) {
                    m.vias().forEach(v -> assertNotNull(v.transport()));
                }
            }
            case "parse, validate rejects" -> {
                SipMessage m = SipParser.parse(bytes);
                SipParseException e = assertThrows(SipParseException.class, m::validate);
                assertTrue(e.canRespond(), e.getMessage());
            }
            default -> {
                SipParseException e = parseAndValidateFails(bytes, name);
                if (expected.equals("drop")) {
                    assertTrue(!e.canRespond(), name + " should not be answerable: " + e.getMessage());
                } else {
                    assertTrue(e.canRespond(), name + " should be answerable: " + e.getMessage());
                    assertEquals(Integer.parseInt(expected), e.statusCode(), e.getMessage());
                    SipResponseBuilder b = SipResponseBuilder.forParseError(e);
                    if (b == null) {
                        // the broken part is one the response must echo: no well-formed answer exists
                        assertTrue(ECHO_BROKEN.contains(name), name + " got no response: " + e.getMessage());
                        return;
                    }
                    String r = new String(b.toBytes(), java.nio.charset.StandardCharsets.UTF_8);
                    assertTrue(r.startsWith("SIP/2.0 " + e.statusCode() + " "), r);
                    assertTrue(r.contains("Call-ID: " + e.request().callId() + "\r\n"), r);
                    SipParser.parseResponse(b.toBytes()).validate();
                }
            }
        }
    }

    private static SipParseException parseAndValidateFails(byte[] bytes, String name) {
        SipMessage m;
        try {
            m = SipParser.parse(bytes);
        } catch (SipParseException e) {
            return e;
        }
        try {
            m.validate();
        } catch (SipParseException e) {
            return e;
        }
        return fail(name + " parsed and validated but must be rejected");
    }

    @Test
    void everyManifestEntryHasADecision() throws IOException {
        try (InputStream in = Rfc4475Test.class.getResourceAsStream("/rfc4475/MANIFEST.tsv")) {
            String[] lines = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).split("\n");
            int n = 0;
            for (int i = 1; i < lines.length; i++) {
                String[] f = lines[i].split("\t");
                assertTrue(EXPECT.containsKey(f[0] + "/" + f[1]), lines[i]);
                n++;
            }
            assertEquals(EXPECT.size(), n);
        }
    }

    @Test
    void dblreqIgnoresTrailingDatagramBytes() throws IOException {
        SipRequest r = (SipRequest) SipParser.parse(load("valid/dblreq"));
        assertEquals("REGISTER", r.method());
        assertEquals(0, r.bodyLength());
    }

    @Test
    void wsinvFoldedValues() throws IOException {
        SipRequest r = (SipRequest) SipParser.parse(load("valid/wsinv"));
        assertEquals(9, r.cseqNumber());
        assertEquals("INVITE", r.cseqMethod());
        assertEquals(68, r.maxForwards());
        assertEquals("98asjd8", r.fromTag());
        assertEquals("1918181833n", r.toTag());
        assertEquals("390skdjuw", r.topViaBranch());
        assertEquals(3, r.vias().size());
        assertEquals("z9hG4bK30239", r.vias().get(2).branch());
        assertEquals("J Rosenberg \\\"", r.from().displayName());
        assertEquals(150, r.bodyLength());
        assertEquals("0.33", r.contacts().get(0).param("q"));
    }
}
