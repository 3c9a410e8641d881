package io.spillway.node.overflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.spillway.sip.SipUri;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ReservationUrisTest {
    private static final String TOKEN = "AbCdEfGhIjKlMnOpQr-_01";

    @Test
    void redirectKeepsTheUserAndParametersAndAddsTheToken() throws Exception {
        SipUri original = SipUri.parse("sip:+4420794600@sbc.example.net;user=phone;maddr=10.9.9.9;transport=udp");
        String to = ReservationUris.redirectUri(original,
            new InetSocketAddress(InetAddress.getByName("192.0.2.7"), 5080), TOKEN);
        assertEquals("sip:+4420794600@192.0.2.7:5080;user=phone;transport=udp;spw-token=" + TOKEN, to);
        assertEquals(TOKEN, ReservationUris.token(to));
    }

    @Test
    void redirectToAnIpv6NodeBracketsTheHost() throws Exception {
        String to = ReservationUris.redirectUri(SipUri.parse("sip:bob@example.com"),
            new InetSocketAddress(InetAddress.getByName("::1"), 5060), TOKEN);
        assertEquals("sip:bob@[::1]:5060;spw-token=" + TOKEN, to);
        assertEquals("[::1]:5060",
            OverflowPolicy.hostPort(new InetSocketAddress(InetAddress.getByName("::1"), 5060)));
    }

    @Test
    void aTelNumberBecomesASipUserWithUserPhone() throws Exception {
        String to = ReservationUris.redirectUri(SipUri.parse("tel:+15551234"),
            new InetSocketAddress(InetAddress.getByName("192.0.2.7"), 5060), TOKEN);
        assertEquals("sip:+15551234@192.0.2.7:5060;user=phone;spw-token=" + TOKEN, to);
    }

    @Test
    void anOldTokenIsReplacedNotRepeated() throws Exception {
        String to = ReservationUris.redirectUri(SipUri.parse("sip:bob@a.example;spw-token=old"),
            new InetSocketAddress(InetAddress.getByName("192.0.2.7"), 5060), TOKEN);
        assertEquals("sip:bob@192.0.2.7:5060;spw-token=" + TOKEN, to);
    }

    @Test
    void stripRemovesOnlyTheToken() {
        assertEquals("sip:bob@192.0.2.7:5060;user=phone;lr?subject=x",
            ReservationUris.stripToken(SipUri.parse("sip:bob@192.0.2.7:5060;user=phone;SPW-Token=" + TOKEN
                + ";lr?subject=x")));
        String plain = "sip:alice@EXAMPLE.com;Transport=TCP";
        assertEquals(plain, ReservationUris.stripToken(SipUri.parse(plain)), "untouched when there is no token");
    }

    @Test
    void absentEmptyOrOversizedTokensAreNone() {
        assertNull(ReservationUris.token("sip:bob@example.com"));
        assertNull(ReservationUris.token("sip:bob@example.com;spw-token"));
        assertNull(ReservationUris.token("sip:bob@example.com;spw-token=" + "x".repeat(65)));
        assertNull(ReservationUris.token("sip:bob@exa mple.com;spw-token=abc"), "unparseable URI");
    }
}
