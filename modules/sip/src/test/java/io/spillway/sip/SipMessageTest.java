package io.spillway.sip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SipMessageTest {
    static final String SDP = "v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\n"
            + "m=audio 4000 RTP/AVP 0\r\n";
    static final String INVITE = "INVITE sip:bob@example.com SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1;rport, SIP/2.0/TCP 10.0.0.2;branch=z9hG4bK2\r\n"
            + "v: SIP/2.0/UDP 10.0.0.3;branch=z9hG4bK3;received=1.2.3.4\r\n"
            + "Max-Forwards: 70\r\n"
            + "f: \"Alice, A\" <sip:alice@example.com>;tag=a1\r\n"
            + "To: <sip:bob@example.com>\r\n"
            + "i: call-1@10.0.0.1\r\n"
            + "CSeq: 1 INVITE\r\n"
            + "m: <sip:alice@10.0.0.1:5060;transport=udp>;expires=60;q=0.5\r\n"
            + "Route: <sip:p1.example.com;lr>, <sip:p2.example.com;lr>\r\n"
            + "X-Custom:   keep   me  \r\n"
            + "c: application/sdp\r\n"
            + "l: " + SDP.length() + "\r\n"
            + "\r\n" + SDP;

    static SipRequest invite() {
        return (SipRequest) SipParser.parse(INVITE.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void typedAccessors() {
        SipRequest r = invite();
        assertEquals("INVITE", r.method());
        assertEquals("sip:bob@example.com", r.requestUriString());
        assertEquals("example.com", r.requestUri().host());
        assertEquals("z9hG4bK1", r.topViaBranch());
        assertEquals("call-1@10.0.0.1", r.callId());
        assertEquals(new CSeq(1, "INVITE"), r.cseq());
        assertEquals("a1", r.fromTag());
        assertNull(r.toTag());
        assertEquals(70, r.maxForwards());
        assertEquals(SDP.length(), r.contentLength());
        assertEquals("application/sdp", r.contentType());
        List<Via> vias = r.vias();
        assertEquals(3, vias.size());
        assertTrue(vias.get(0).hasRport());
        assertEquals(-1, vias.get(0).rport());
        assertEquals(5060, vias.get(0).port());
        assertEquals("TCP", vias.get(1).transport());
        assertEquals("1.2.3.4", vias.get(2).received());
        assertEquals("Alice, A", r.from().displayName());
        assertEquals("alice", r.from().uri().user());
        NameAddr contact = r.contacts().get(0);
        assertEquals(60, contact.expires());
        assertEquals(0.5, contact.q());
        assertEquals("udp", contact.uri().param("transport"));
        assertEquals(2, r.routes().size());
        assertEquals("", r.routes().get(1).uri().param("lr"));
        assertEquals("keep   me", r.header("x-custom"));
        assertEquals(SDP, r.bodyAsString());
        r.validate();
    }

    @Test
    void unchangedRoundTripIsByteExact() {
        byte[] in = INVITE.getBytes(StandardCharsets.UTF_8);
        SipMessage m = SipParser.parse(in);
        assertArrayEquals(in, m.toBytes());
        ByteBuf out = m.toByteBuf(UnpooledByteBufAllocator.DEFAULT);
        try {
            assertEquals(INVITE, out.toString(StandardCharsets.UTF_8));
        } finally {
            out.release();
        }
    }

    @Test
    void proxyEditsTouchOnlyWhatTheyEdit() {
        SipRequest r = invite();
        r.pushVia(Via.format("UDP", "192.0.2.9", 5060, "z9hG4bKnew", true));
        r.addRecordRoute("<sip:192.0.2.9;lr>");
        assertEquals(69, r.decrementMaxForwards());
        r.removeTopRoute();
        r.setRequestUri("sip:bob@192.0.2.50:5080");
        String out = r.toString();
        String expected = INVITE
                .replace("INVITE sip:bob@example.com SIP/2.0\r\n",
                        "INVITE sip:bob@192.0.2.50:5080 SIP/2.0\r\n"
                                + "Via: SIP/2.0/UDP 192.0.2.9:5060;branch=z9hG4bKnew;rport\r\n")
                .replace("v: SIP/2.0/UDP 10.0.0.3;branch=z9hG4bK3;received=1.2.3.4\r\n",
                        "v: SIP/2.0/UDP 10.0.0.3;branch=z9hG4bK3;received=1.2.3.4\r\nRecord-Route: <sip:192.0.2.9;lr>\r\n")
                .replace("Max-Forwards: 70", "Max-Forwards: 69")
                .replace("Route: <sip:p1.example.com;lr>, <sip:p2.example.com;lr>", "Route: <sip:p2.example.com;lr>");
        assertEquals(expected, out);
        SipRequest again = (SipRequest) SipParser.parse(r.toBytes());
        assertEquals("z9hG4bKnew", again.topViaBranch());
        assertEquals(4, again.vias().size());
        again.validate();
    }

    @Test
    void popViaRemovesOnlyTheFirstValueOfAMultiValueLine() {
        SipRequest r = invite();
        assertTrue(r.popVia());
        assertEquals("z9hG4bK2", r.topViaBranch());
        assertTrue(r.toString().contains("\r\nVia: SIP/2.0/TCP 10.0.0.2;branch=z9hG4bK2\r\nv: SIP/2.0/UDP"));
        assertTrue(r.popVia());
        assertEquals("z9hG4bK3", r.topViaBranch());
        assertTrue(r.popVia());
        assertFalse(r.popVia());
        assertNull(r.topVia());
    }

    @Test
    void setAndRemoveHeadersAndBody() {
        SipRequest r = invite();
        r.setHeader("X-Custom", "new");
        r.addHeader("X-Other", "1");
        assertEquals(1, r.removeHeader("x-other"));
        assertEquals("new", r.header("X-Custom"));
        byte[] body = "v=0\r\n".getBytes(StandardCharsets.US_ASCII);
        r.setBody("application/sdp", body);
        SipMessage again = SipParser.parse(r.toBytes());
        assertEquals(body.length, again.contentLength());
        assertArrayEquals(body, again.body());
        r.removeBody();
        again = SipParser.parse(r.toBytes());
        assertEquals(0, again.contentLength());
        assertNull(again.contentType());
        assertThrows(IllegalArgumentException.class, () -> r.setHeader("X-Bad", "a\r\nInjected: 1"));
    }

    @Test
    void maxForwardsAbsentIsAddedAs69() {
        String noMf = INVITE.replace("Max-Forwards: 70\r\n", "");
        SipRequest r = (SipRequest) SipParser.parse(noMf.getBytes(StandardCharsets.UTF_8));
        assertEquals(-1, r.maxForwards());
        assertEquals(69, r.decrementMaxForwards());
        assertEquals(69, SipParser.parse(r.toBytes()).maxForwards());
    }

    @Test
    void responseBuilderCopiesViasInOrderAndAddsToTag() {
        SipRequest r = invite();
        SipResponse resp = SipResponseBuilder.forRequest(r, 180, "Ringing").toTag("b9")
                .header("Contact", "<sip:bob@10.0.0.9>").build();
        assertEquals(180, resp.statusCode());
        assertEquals("Ringing", resp.reasonPhrase());
        assertEquals(3, resp.vias().size());
        assertEquals("z9hG4bK1", resp.topViaBranch());
        assertEquals("z9hG4bK3", resp.vias().get(2).branch());
        assertEquals("b9", resp.toTag());
        assertEquals("a1", resp.fromTag());
        assertEquals(r.callId(), resp.callId());
        assertEquals(r.cseq(), resp.cseq());
        assertEquals(0, resp.contentLength());
        SipResponse withBody = SipResponseBuilder.forRequest(r, 200, "OK").toTag("b9")
                .body("application/sdp", SDP.getBytes(StandardCharsets.US_ASCII)).build();
        assertEquals(SDP, withBody.bodyAsString());
        assertEquals("application/sdp", withBody.contentType());
    }

    @Test
    void requestBuilder() {
        SipRequest bye = new SipRequestBuilder(SipMethods.BYE, "sip:alice@10.0.0.1:5060")
                .via(Via.format("UDP", "192.0.2.9", 5060, "z9hG4bKbye", false))
                .from("<sip:bob@example.com>;tag=b9").to("<sip:alice@example.com>;tag=a1")
                .callId("call-1@10.0.0.1").cseq(2).header("Route", "<sip:p1;lr>").build();
        assertEquals("BYE", bye.method());
        assertEquals(new CSeq(2, "BYE"), bye.cseq());
        assertEquals(70, bye.maxForwards());
        assertEquals("z9hG4bKbye", bye.topViaBranch());
        assertEquals(0, bye.contentLength());
        bye.validate();
    }

    @Test
    void topViaReceivedAndRport() {
        SipRequest r = invite();
        r.setTopViaReceived("203.0.113.7", 40123);
        assertEquals("SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1;rport=40123;received=203.0.113.7",
                r.topViaValue());
        assertEquals(40123, r.topVia().rport());
        assertEquals(3, SipParser.parse(r.toBytes()).vias().size());
        assertTrue(r.toString().contains(
                "Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1;rport=40123;received=203.0.113.7, SIP/2.0/TCP"));
        SipRequest same = invite();
        same.popVia();
        same.setTopViaReceived("10.0.0.2", 5060);
        assertEquals("SIP/2.0/TCP 10.0.0.2;branch=z9hG4bK2", same.topViaValue());
        same.popVia();
        same.setTopViaReceived("10.0.0.3", 5060);
        assertEquals("SIP/2.0/UDP 10.0.0.3;branch=z9hG4bK3;received=1.2.3.4", same.topViaValue());
        same.setTopViaReceived("9.9.9.9", 5060);
        assertEquals("SIP/2.0/UDP 10.0.0.3;branch=z9hG4bK3;received=9.9.9.9", same.topViaValue());
    }

    @Test
    void copyIsIndependent() {
        SipRequest original = invite();
        SipRequest forwarded = original.copy();
        forwarded.pushVia(Via.format("UDP", "192.0.2.9", 5060, "z9hG4bKfwd", false));
        forwarded.setRequestUri("sip:bob@192.0.2.50");
        forwarded.removeBody();
        assertEquals(INVITE, original.toString());
        assertEquals("z9hG4bKfwd", forwarded.topViaBranch());
        assertEquals("sip:bob@192.0.2.50", forwarded.requestUriString());
        assertEquals(0, SipParser.parse(forwarded.toBytes()).contentLength());
        SipResponse resp = SipResponseBuilder.forRequest(original, 200, "OK").build();
        SipResponse up = resp.copy();
        up.popVia();
        assertEquals(3, resp.vias().size());
        assertEquals(2, up.vias().size());
    }

    @Test
    void cancelAndAckForInvite() {
        SipRequest inv = invite();
        SipRequest cancel = SipRequestBuilder.cancelFor(inv).build();
        assertEquals("sip:bob@example.com", cancel.requestUriString());
        assertEquals(new CSeq(1, "CANCEL"), cancel.cseq());
        assertEquals(1, cancel.vias().size());
        assertEquals("z9hG4bK1", cancel.topViaBranch());
        assertEquals(inv.callId(), cancel.callId());
        assertEquals(2, cancel.routes().size());
        SipResponse busy = SipResponseBuilder.forRequest(inv, 486, "Busy Here").toTag("t9").build();
        SipRequest ack = SipRequestBuilder.ackFor(inv, busy).build();
        assertEquals(new CSeq(1, "ACK"), ack.cseq());
        assertEquals("t9", ack.toTag());
        assertEquals("a1", ack.fromTag());
        ack.validate();
    }

    @Test
    void unbracketedIpv6ReceivedIsAccepted() {
        SipRequest r = (SipRequest) SipParser.parse(INVITE.replace("received=1.2.3.4", "received=2001:db8::5")
                .getBytes(StandardCharsets.UTF_8));
        assertEquals("2001:db8::5", r.vias().get(2).received());
    }

    @Test
    void keepAlives() {
        ByteBuf ping = Unpooled.copiedBuffer("\r\n\r\n", StandardCharsets.US_ASCII);
        ByteBuf msg = Unpooled.copiedBuffer(INVITE, StandardCharsets.UTF_8);
        try {
            assertTrue(SipParser.isKeepAlive(ping));
            assertFalse(SipParser.isKeepAlive(msg));
            assertFalse(SipParser.isKeepAlive(Unpooled.EMPTY_BUFFER));
            assertEquals("empty message", assertThrows(SipParseException.class, () -> SipParser.parse(ping)).reason());
        } finally {
            ping.release();
            msg.release();
        }
    }

    @Test
    void byteBufParseLeavesIndicesAndDoesNotRelease() {
        ByteBuf buf = Unpooled.copiedBuffer(INVITE, StandardCharsets.UTF_8);
        try {
            SipMessage m = SipParser.parse(buf);
            assertEquals(0, buf.readerIndex());
            assertEquals(1, buf.refCnt());
            assertEquals("call-1@10.0.0.1", m.callId());
        } finally {
            buf.release();
        }
    }

    @Test
    void precisErrors() {
        SipParseException e = assertThrows(SipParseException.class,
                () -> SipParser.parse(INVITE.replace("i: call-1@10.0.0.1\r\n", "").getBytes(StandardCharsets.UTF_8)));
        assertEquals("missing Call-ID", e.reason());
        assertFalse(e.canRespond());
        e = assertThrows(SipParseException.class,
                () -> SipParser.parse(INVITE.replace("l: " + SDP.length(), "l: x").getBytes(StandardCharsets.UTF_8)));
        assertEquals("invalid Content-Length", e.reason());
        assertTrue(e.canRespond());
        assertEquals("call-1@10.0.0.1", e.request().callId());
        e = assertThrows(SipParseException.class, () -> SipParser.parse(
                INVITE.replace("X-Custom:   keep   me  ", "X-Long: " + "a".repeat(9000)).getBytes(StandardCharsets.UTF_8)));
        assertEquals("line too long", e.reason());
        assertTrue(e.offset() > 0);
    }
}
