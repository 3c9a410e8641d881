package io.spillway.sip.fuzz;

import io.spillway.sip.AuthValue;
import io.spillway.sip.NameAddr;
import io.spillway.sip.SipParseException;
import io.spillway.sip.SipUri;
import io.spillway.sip.Via;
import io.spillway.testsupport.fuzz.FuzzCorpus;
import io.spillway.testsupport.fuzz.MutationFuzzer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every header-value parser ({@link SipUri}, {@link Via}, {@link NameAddr}, {@link AuthValue}) on every
 * mutated value: it returns a value or throws {@link SipParseException}, nothing else; a parsed value
 * survives its accessors, and what {@code toString()} writes for a URI or a Via parses again.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SipValueFuzzTest {
    private static final List<String> DICTIONARY = List.of("sip:", "sips:", "tel:", "SIP/2.0/UDP ", ";branch=",
        ";rport", ";received=", ";maddr=", ";ttl=", ";tag=", ";lr", ";transport=tcp", "?", "&", "[::1]", "[",
        "<sip:", ">", "Digest ", "username=", "realm=", "nonce=", "qop=auth", "*", "%25", "%2", ":5060");

    @Test
    void valueParsersThrowOnlySipParseException() throws Exception {
        MutationFuzzer.of("sip-values", FuzzCorpus.load(getClass(), "/fuzz/sip-values"), DICTIONARY,
                SipParseException.class)
            .seed(0x51_7A1DL).cases(200_000).budget(6, TimeUnit.SECONDS).maxLength(4096)
            .run(SipValueFuzzTest::exercise);
    }

    /** Runs every parser; throws the first unexpected failure, or SipParseException if none accepted it. */
    static void exercise(byte[] input) {
        String s = new String(input, StandardCharsets.ISO_8859_1);
        int accepted = 0;
        try {
            SipUri u = SipUri.parse(s);
            touch(u.scheme(), u.user(), u.password(), u.host(), u.port(), u.params(), u.headers(), u.isSip());
            SipUri again = SipUri.parse(u.toString());
            if (!again.equals(u)) {
                throw new AssertionError("URI round trip changed '" + u + "' to '" + again + "'");
            }
            accepted++;
        } catch (SipParseException e) {
            // rejected
        }
        try {
            Via v = Via.parse(s);
            touch(v.branch(), v.received(), v.hasRport(), v.rport(), v.maddr(), v.ttl(), v.host(), v.port());
            Via again = Via.parse(v.toString());
            if (!again.toString().equals(v.toString())) {
                throw new AssertionError("Via round trip changed '" + v + "' to '" + again + "'");
            }
            accepted++;
        } catch (SipParseException e) {
            // rejected
        }
        try {
            NameAddr n = NameAddr.parse(s);
            touch(n.tag(), n.expires(), n.q(), n.isWildcard(), n.displayName(), n.uri());
            accepted++;
        } catch (SipParseException e) {
            // rejected
        }
        try {
            AuthValue a = AuthValue.parse(s);
            touch(a.isDigest(), a.param("realm"), a.param("nonce"));
            accepted++;
        } catch (SipParseException e) {
            // rejected
        }
        if (accepted == 0) {
            throw new SipParseException("no parser accepted the value", 0);
        }
    }

    private static void touch(Object... values) {
        for (Object o : values) {
            if (o != null) {
                o.hashCode();
            }
        }
    }
}
