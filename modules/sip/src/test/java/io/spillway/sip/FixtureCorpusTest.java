package io.spillway.sip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spillway.sip.sdp.SdpSession;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The real-world fixture corpus ({@code fixtures/*.sip}) against {@code fixtures/expectations.tsv}. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class FixtureCorpusTest {

    static byte[] load(String name) {
        try (InputStream in = FixtureCorpusTest.class.getResourceAsStream("/fixtures/" + name)) {
            assertNotNull(in, name);
            return in.readAllBytes();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static List<String[]> expectations() {
        List<String[]> out = new ArrayList<>();
        for (String line : new String(load("expectations.tsv"), StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                out.add(line.split("\t", -1));
            }
        }
        return out;
    }

    static Stream<Arguments> rows() {
        return expectations().stream().map(r -> Arguments.of(r[0], r[1], r[2], r[3]));
    }

    @ParameterizedTest(name = "{0}: {1} {2} {3}")
    @MethodSource("rows")
    void fixtureHasExpectedOutcome(String file, String outcome, String start, String detail) {
        byte[] bytes = load(file);
        if (outcome.equals("parse")) {
            SipMessage m = SipParser.parse(bytes);
            m.validate();
            if (m instanceof SipRequest r) {
                assertEquals(start, r.method());
            } else {
                assertEquals(Integer.parseInt(start), ((SipResponse) m).statusCode());
            }
            assertArrayEquals(bytes, m.toBytes(), "unedited round trip is byte-exact");
            assertNotNull(m.topViaBranch());
            assertNotNull(m.fromTag());
            if ("application/sdp".equals(m.contentType())) {
                SdpSession s = SdpSession.parse(m.body());
                assertFalse(s.media().isEmpty());
            }
        } else {
            SipParseException e = assertThrows(SipParseException.class, () -> SipParser.parse(bytes));
            assertEquals(detail, e.reason(), e.getMessage());
            assertEquals(outcome.equals("respond"), e.canRespond(), e.getMessage());
            if (e.canRespond()) {
                assertEquals(Integer.parseInt(start), e.statusCode());
                assertTrue(new String(SipResponseBuilder.forParseError(e).toBytes(), StandardCharsets.UTF_8)
                        .startsWith("SIP/2.0 " + start + " "));
            }
        }
    }

    @Test
    void everyFixtureFileIsListed() throws IOException {
        List<String> listed = expectations().stream().map(r -> r[0]).toList();
        try (var files = java.nio.file.Files.list(java.nio.file.Path.of(
                FixtureCorpusTest.class.getResource("/fixtures/expectations.tsv").getPath()).getParent())) {
            files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".sip"))
                    .forEach(n -> assertTrue(listed.contains(n), n + " has no expectation"));
        }
    }

    @Test
    void inviteAudioVideo() {
        SipRequest r = (SipRequest) SipParser.parse(load("invite-audio-video.sip"));
        assertEquals("z9hG4bK776asdhds", r.topViaBranch());
        assertEquals(List.of("INVITE", "ACK", "CANCEL", "BYE", "OPTIONS", "UPDATE"), r.allow());
        assertEquals(List.of("replaces", "timer"), r.supported());
        SdpSession s = SdpSession.parse(r.body());
        assertEquals(2, s.media().size());
        assertEquals("video", s.media().get(1).type());
        assertEquals(51373, s.media().get(1).rtcpPort());
    }

    @Test
    void registerDigest() {
        SipRequest r = (SipRequest) SipParser.parse(load("register-digest.sip"));
        AuthValue a = r.authorization().get(0);
        assertTrue(a.isDigest());
        assertEquals("bob", a.param("username"));
        assertEquals("dcd98b7102dd2f0e8b11d0f600bfb0c093", a.param("nonce"));
        assertEquals("auth", a.param("qop"));
        assertEquals("00000001", a.param("nc"));
        assertEquals(3600, r.expires());
        assertEquals(0.7, r.contacts().get(0).q());
        assertEquals(3600, r.contacts().get(0).expires());
    }

    @Test
    void challenges() {
        SipResponse r401 = (SipResponse) SipParser.parse(load("resp-401-unauthorized.sip"));
        assertEquals("example.com", r401.wwwAuthenticate().get(0).param("realm"));
        assertEquals("", r401.wwwAuthenticate().get(0).param("opaque"));
        SipResponse r407 = (SipResponse) SipParser.parse(load("resp-407-proxy-auth.sip"));
        assertEquals("sip:ss1.example.com", r407.proxyAuthenticate().get(0).param("domain"));
        SipResponse r503 = (SipResponse) SipParser.parse(load("resp-503-retry.sip"));
        assertEquals(30, r503.retryAfter());
        SipResponse r100 = (SipResponse) SipParser.parse(load("resp-100-trying.sip"));
        assertNull(r100.toTag());
        SipResponse r302 = (SipResponse) SipParser.parse(load("resp-302-moved.sip"));
        assertEquals("node2.example.net", r302.contacts().get(0).uri().host());
        assertEquals(5060, r302.contacts().get(0).uri().port());
    }

    @Test
    void compactFoldedIpv6MultiVia() {
        SipRequest c = (SipRequest) SipParser.parse(load("compact-forms.sip"));
        assertEquals("a84b4c76e66710", c.callId());
        assertEquals("a subject", c.header("Subject"));
        assertEquals(List.of("timer"), c.supported());
        SipRequest f = (SipRequest) SipParser.parse(load("folded-headers.sip"));
        assertEquals(70, f.maxForwards());
        assertEquals(new CSeq(231, "BYE"), f.cseq());
        assertEquals("z9hG4bKnashds10", f.topVia().branch());
        assertEquals("Alice", f.to().displayName());
        assertEquals("first second", f.header("x-folded"));
        SipRequest v6 = (SipRequest) SipParser.parse(load("ipv6.sip"));
        assertEquals("[2001:db8::20]", v6.requestUri().host());
        assertEquals(5070, v6.requestUri().port());
        assertEquals("[2001:db8::10]", v6.topVia().host());
        assertEquals("2001:db8::10", v6.topVia().received());  // received=[2001:db8::10] read without brackets
        assertEquals(5060, v6.topVia().rport());
        assertTrue(SdpSession.parse(v6.body()).connection().isIpv6());
        SipResponse mv = (SipResponse) SipParser.parse(load("multi-via-one-line.sip"));
        assertEquals(3, mv.vias().size());
        assertEquals("192.0.2.3", mv.topVia().received());
        mv.popVia();
        assertEquals("z9hG4bK74bf9.1", mv.topViaBranch());
        assertEquals(2, SipParser.parse(mv.toBytes()).vias().size());
    }

    @Test
    void oddWhitespaceEscapesUnknownWildcard() {
        SipRequest w = (SipRequest) SipParser.parse(load("odd-whitespace.sip"));
        assertEquals("z9hG4bKws1", w.topViaBranch());
        assertEquals("ws1", w.fromTag());
        assertEquals(5060, w.topVia().port());
        assertTrue(w.topVia().hasRport());
        assertEquals("ws1@host", w.callId());
        assertEquals(new CSeq(7, "OPTIONS"), w.cseq());
        SipRequest e = (SipRequest) SipParser.parse(load("escaped-uri.sip"));
        assertEquals("%61lice%20smith", e.requestUri().user());
        assertEquals("Subject=hello%20there&Priority=urgent", e.contacts().get(0).uri().headers());
        SipRequest u = (SipRequest) SipParser.parse(load("unknown-headers.sip"));
        assertEquals(";;,,==<<>>\"\"\\", u.header("X-Weird-Header"));
        assertEquals("", u.header("X-Empty"));
        SipRequest reg = (SipRequest) SipParser.parse(load("register-wildcard.sip"));
        assertTrue(reg.contacts().get(0).isWildcard());
        assertEquals(0, reg.expires());
        SipRequest ack = (SipRequest) SipParser.parse(load("ack-cancel-route.sip"));
        assertEquals(3, ack.routes().size());
        ack.removeTopRoute();
        ack.removeTopRoute();
        assertEquals("sip:proxy3.example.org;lr", ack.routes().get(0).uri().toString());
    }

    @Test
    void oversizeAndThousandsOfHeadersAreRejected() {
        String base = new String(load("compact-forms.sip"), StandardCharsets.UTF_8);
        StringBuilder many = new StringBuilder(base.substring(0, base.indexOf("l: 0")));
        for (int i = 0; i < 5000; i++) {
            many.append("X-H").append(i).append(": v\r\n");
        }
        many.append("l: 0\r\n\r\n");
        SipParseException e = assertThrows(SipParseException.class,
                () -> SipParser.parse(many.toString().getBytes(StandardCharsets.UTF_8)));
        assertEquals("too many headers (> 256)", e.reason());
        byte[] huge = new byte[SipLimits.MAX_MESSAGE_BYTES + 1];
        System.arraycopy(load("compact-forms.sip"), 0, huge, 0, 100);
        e = assertThrows(SipParseException.class, () -> SipParser.parse(huge));
        assertEquals(513, e.statusCode());
        assertFalse(e.canRespond());
    }
}
