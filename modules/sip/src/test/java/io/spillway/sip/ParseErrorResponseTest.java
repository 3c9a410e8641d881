package io.spillway.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every error response {@link SipResponseBuilder#forParseError} builds is itself a well-formed SIP
 * response, whatever part of the request was broken; a request whose top Via, From, To, Call-ID or
 * CSeq does not parse gets no response.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ParseErrorResponseTest {

    private static List<Path> invalidInputs() throws IOException {
        List<Path> out = new ArrayList<>();
        for (String dir : new String[] {"/rfc4475/invalid", "/fixtures"}) {
            Path d = Path.of(ParseErrorResponseTest.class.getResource(dir).getPath());
            try (Stream<Path> files = Files.list(d)) {
                files.filter(p -> p.getFileName().toString().endsWith(".sip")).sorted().forEach(out::add);
            }
        }
        return out;
    }

    /** The parse failure for {@code bytes} (from parse or validate), or null when both succeed. */
    private static SipParseException failure(byte[] bytes) {
        try {
            SipParser.parse(bytes).validate();
            return null;
        } catch (SipParseException e) {
            return e;
        }
    }

    @Test
    void everyErrorResponseReparses() throws IOException {
        int answered = 0;
        int failures = 0;
        for (Path p : invalidInputs()) {
            String name = p.getFileName().toString();
            SipParseException e = failure(Files.readAllBytes(p));
            if (e == null) {
                continue;
            }
            failures++;
            SipResponseBuilder b = SipResponseBuilder.forParseError(e);
            if (b == null) {
                continue;
            }
            byte[] bytes = b.toTag("spw1").toBytes();
            String text = new String(bytes, StandardCharsets.UTF_8);
            SipResponse r;
            try {
                r = SipParser.parseResponse(bytes);
                r.validate();
            } catch (SipParseException bad) {
                throw new AssertionError(name + ": the error response does not parse (" + bad.getMessage() + "):\n" + text);
            }
            assertEquals(name.startsWith("badvers") ? 505 : e.statusCode(), r.statusCode(), name + "\n" + text);
            assertTrue(r.statusCode() == 400 || r.statusCode() == 505 || r.statusCode() == 513, name + "\n" + text);
            assertEquals(e.request().callId(), r.callId(), name);
            assertEquals(e.request().topVia().branch(), r.topVia().branch(), name);
            assertEquals(e.request().cseqNumber(), r.cseqNumber(), name);
            answered++;
        }
        assertTrue(failures >= 30, "invalid inputs that failed: " + failures);
        assertTrue(answered >= 15, "answered: " + answered);
    }

    private static SipParseException failureOf(String request) {
        SipParseException e = failure(request.getBytes(StandardCharsets.UTF_8));
        assertNotNull(e, request);
        assertTrue(e.canRespond(), e.getMessage());
        return e;
    }

    private static final String GOOD_VIA = "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKok\r\n";
    private static final String REST = "From: <sip:a@example.com>;tag=1\r\nTo: <sip:b@example.com>\r\n"
            + "Call-ID: c1@192.0.2.1\r\nCSeq: 7 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n";

    @Test
    void aLowerViaThatDoesNotParseIsLeftOut() {
        SipParseException e = failureOf("OPTIONS sip:b@example.com SIP/2.0\r\n" + GOOD_VIA
                + "Via: SIP/2.0/UDP 192.0.2.2;ttl=999;branch=z9hG4bKbad\r\n" + REST);
        SipResponse r = SipParser.parseResponse(SipResponseBuilder.forParseError(e).toBytes());
        r.validate();
        assertEquals(1, r.vias().size());
        assertEquals("z9hG4bKok", r.topViaBranch());
    }

    @Test
    void aTopViaThatDoesNotParseMeansNoResponse() {
        SipParseException e = failureOf("OPTIONS sip:b@example.com SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 192.0.2.2;ttl=999;branch=z9hG4bKbad\r\n" + GOOD_VIA + REST);
        assertNull(SipResponseBuilder.forParseError(e));
    }

    @Test
    void aFromThatDoesNotParseMeansNoResponse() {
        SipParseException e = failureOf("OPTIONS sip:b@example.com SIP/2.0\r\n" + GOOD_VIA
                + REST.replace("From: <sip:a@example.com>;tag=1", "From: \"unbalanced <sip:a@example.com>;tag=1"));
        assertNull(SipResponseBuilder.forParseError(e));
    }

    @Test
    void theReasonPhraseIsPrintableAndBounded() {
        String s = SipResponseBuilder.sanitise("Bad Request (x\u0000y\u007f\u00e9" + "z".repeat(500) + ")");
        assertTrue(s.length() <= SipResponseBuilder.MAX_REASON_CHARS, s);
        assertTrue(s.chars().allMatch(c -> c >= 0x20 && c < 0x7f), s);
        assertTrue(s.startsWith("Bad Request (x?y??z"), s);
    }
}
