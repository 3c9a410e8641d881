package io.spillway.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The typed values: URIs, addresses, Via, credentials. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SipValuesTest {

    @Test
    void sipUriParts() {
        SipUri u = SipUri.parse("sips:alice:secret@[2001:db8::1]:5061;transport=tcp;lr?Subject=hi&Priority=urgent");
        assertEquals("sips", u.scheme());
        assertEquals("alice", u.user());
        assertEquals("secret", u.password());
        assertEquals("[2001:db8::1]", u.host());
        assertEquals(5061, u.port());
        assertEquals("tcp", u.param("transport"));
        assertEquals("", u.param("LR"));
        assertEquals("Subject=hi&Priority=urgent", u.headers());
        SipUri v4 = SipUri.parse("sip:192.0.2.1");
        assertNull(v4.user());
        assertEquals("192.0.2.1", v4.host());
        assertEquals(-1, v4.port());
        SipUri esc = SipUri.parse("sip:%61lice@example.com;n%61me=v%61lue");
        assertEquals("%61lice", esc.user());
        assertEquals("v%61lue", esc.param("n%61me"));
    }

    @Test
    void telAndOpaqueUris() {
        SipUri tel = SipUri.parse("tel:+1-201-555-0123;phone-context=example.com");
        assertEquals("tel", tel.scheme());
        assertEquals("+1-201-555-0123", tel.user());
        assertEquals("example.com", tel.param("phone-context"));
        SipUri other = SipUri.parse("urn:service:sos");
        assertFalse(other.isSip());
        assertEquals("urn:service:sos", other.toString());
    }

    @Test
    void badUris() {
        for (String bad : new String[] {"sip:", "sip:user@", "sip:a@b:99999", "sip:a@b;=x", "sip:a%4@b", "sip:[2001:db8::1",
            "nocolon", "sip:a b@c", "sip:@host"}) {
            assertThrows(SipParseException.class, () -> SipUri.parse(bad), bad);
        }
    }

    @Test
    void nameAddrForms() {
        NameAddr quoted = NameAddr.parse("\"Bob \\\"B\\\" Smith\" <sip:bob@example.com>;tag=x;expires=30");
        assertEquals("Bob \"B\" Smith", quoted.displayName());
        assertEquals("x", quoted.tag());
        assertEquals(30, quoted.expires());
        NameAddr tokens = NameAddr.parse("Bob Smith <sip:bob@example.com>");
        assertEquals("Bob Smith", tokens.displayName());
        NameAddr spec = NameAddr.parse("sip:bob@example.com;tag=y");
        assertNull(spec.displayName());
        assertEquals("y", spec.tag());
        assertEquals("example.com", spec.uri().host());
        NameAddr withUriParams = NameAddr.parse("<sip:bob@example.com;transport=tcp>;q=1");
        assertEquals("tcp", withUriParams.uri().param("transport"));
        assertNull(withUriParams.param("transport"));
        assertEquals(1.0, withUriParams.q());
        assertTrue(NameAddr.parse(" * ").isWildcard());
        assertThrows(SipParseException.class, () -> NameAddr.parse("\"unterminated <sip:a@b>"));
        assertThrows(SipParseException.class, () -> NameAddr.parse("Bell, Alexander <sip:a@b>"));
        assertThrows(SipParseException.class, () -> NameAddr.parse("< sip:a@b >"));
        assertThrows(SipParseException.class, () -> NameAddr.parse("sip:a@b?Route=x"));
        assertThrows(SipParseException.class, () -> NameAddr.parse("<sip:a@b>;q=2").q(), "q is checked when read");
    }

    @Test
    void viaForms() {
        Via v = Via.parse("SIP / 2.0 / udp  host.example.com : 5060 ; branch = z9hG4bK1 ; rport ; maddr=224.0.0.1 ;ttl=16");
        assertEquals("SIP/2.0", v.protocol());
        assertEquals("UDP", v.transport());
        assertEquals("host.example.com", v.host());
        assertEquals(5060, v.port());
        assertEquals("z9hG4bK1", v.branch());
        assertTrue(v.hasRport());
        assertEquals(-1, v.rport());
        assertEquals("224.0.0.1", v.maddr());
        assertEquals(16, v.ttl());
        Via v6 = Via.parse("SIP/2.0/TCP [2001:db8::9]:5070;branch=z9hG4bK2;rport=5071;received=2001:db8::8");
        assertEquals("[2001:db8::9]", v6.host());
        assertEquals(5071, v6.rport());
        assertEquals("2001:db8::8", v6.received());
        // RFC 3261 20.42 writes received as a bare IPv6address; RFC 5118 4.5 also shows it bracketed
        Via bracketed = Via.parse("SIP/2.0/UDP [2001:db8::9];branch=z9hG4bK3;received=[2001:db8::8];rport=5072");
        assertEquals("2001:db8::8", bracketed.received());
        assertEquals(5072, bracketed.rport());
        assertEquals("2001:db8::8", SipParser.parse(("OPTIONS sip:a@b SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP [2001:db8::9]:5070;received=2001:db8::8;branch=z9hG4bK4;rport=5071,"
                + " SIP/2.0/UDP h;branch=z9hG4bK5\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:a@b>\r\nCall-ID: c\r\n"
                + "CSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n")
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII)).topVia().received());
        assertEquals("SIP/2.0/UDP [2001:db8::1]:5060;branch=z9hG4bKx;rport",
                Via.format("UDP", "2001:db8::1", 5060, "z9hG4bKx", true));
        for (String bad : new String[] {"SIP/2.0 host", "SIP/2.0/UDP", "SIP/2.0/UDP host;;", "SIP/2.0/UDP host;ttl=300",
            "SIP/2.0/UDP host:70000", "SIP/2.0/UDP host;rport=x"}) {
            assertThrows(SipParseException.class, () -> Via.parse(bad), bad);
        }
    }

    @Test
    void credentialsAndChallenges() {
        AuthValue a = AuthValue.parse("Digest username=\"bob\",realm=\"biloxi.com\" , nonce=\"a,b\", uri=\"sip:x\","
                + " response=\"0123\", qop=auth, nc=00000001, cnonce=\"c\", opaque=\"\"");
        assertTrue(a.isDigest());
        assertEquals("a,b", a.param("nonce"));
        assertEquals("", a.param("opaque"));
        assertEquals("00000001", a.param("NC"));
        AuthValue unknown = AuthValue.parse("NoOneKnowsThisScheme opaque-data=here");
        assertFalse(unknown.isDigest());
        assertEquals("here", unknown.param("opaque-data"));
        assertThrows(SipParseException.class, () -> AuthValue.parse("Digest realm"));
        assertThrows(SipParseException.class, () -> AuthValue.parse("Digest realm=\"x"));
    }

    @Test
    void listHeadersSplitOutsideQuotesAndBrackets() {
        SipMessage m = SipParser.parse(("OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\n"
                + "From: <sip:c@d>;tag=1\r\nTo: <sip:a@b>\r\nCall-ID: x\r\nCSeq: 1 OPTIONS\r\n"
                + "Contact: \"A, B\" <sip:a,1@h;x=1>, <sip:c@h>\r\nContact: <sip:d@h>\r\n"
                + "Allow: INVITE,ACK , BYE\r\nRequire: 100rel\r\nProxy-Require: foo\r\n"
                + "Date: Sat, 13 Nov 2010 23:29:00 GMT\r\nRetry-After: 120\r\nl: 0\r\n\r\n")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        List<NameAddr> contacts = m.contacts();
        assertEquals(3, contacts.size());
        assertEquals("A, B", contacts.get(0).displayName());
        assertEquals("a,1", contacts.get(0).uri().user());
        assertEquals(List.of("INVITE", "ACK", "BYE"), m.allow());
        assertEquals(List.of("100rel"), m.require());
        assertEquals(List.of("foo"), m.proxyRequire());
        assertEquals(120, m.retryAfter());
        assertEquals(3, m.headerValues("m").size());
        m.validate();
    }
}
