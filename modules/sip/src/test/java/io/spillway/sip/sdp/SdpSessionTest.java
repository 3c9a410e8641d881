package io.spillway.sip.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spillway.sip.SipParseException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SdpSessionTest {
    static final String AV = "v=0\r\n"
            + "o=alice 2890844526 2890844527 IN IP4 192.0.2.10\r\n"
            + "s=call\r\n"
            + "c=IN IP4 192.0.2.10\r\n"
            + "t=0 0\r\n"
            + "a=sendrecv\r\n"
            + "m=audio 49170 RTP/AVP 0 8 101\r\n"
            + "a=rtpmap:0 PCMU/8000\r\n"
            + "a=rtpmap:8 PCMA/8000\r\n"
            + "a=rtpmap:101 telephone-event/8000\r\n"
            + "a=fmtp:101 0-15\r\n"
            + "a=rtcp:49171 IN IP4 192.0.2.10\r\n"
            + "a=ptime:20\r\n"
            + "m=video 51372 RTP/AVPF 96\r\n"
            + "c=IN IP4 192.0.2.11\r\n"
            + "a=rtpmap:96 H264/90000\r\n"
            + "a=rtcp-fb:96 nack pli\r\n"
            + "a=rtcp-mux\r\n"
            + "a=recvonly\r\n"
            + "m=application 0 UDP/DTLS/SCTP webrtc-datachannel\r\n"
            + "x-unknown-line=kept\r\n".replace("x-unknown-line", "a=x-unknown-line");

    @Test
    void parsesAudioAndVideo() {
        SdpSession s = SdpSession.parse(AV);
        assertEquals("192.0.2.10", s.connection().address());
        assertEquals("192.0.2.10", s.originAddress());
        assertEquals(SdpDirection.SENDRECV, s.direction());
        List<SdpMedia> m = s.media();
        assertEquals(3, m.size());
        SdpMedia audio = m.get(0);
        assertEquals("audio", audio.type());
        assertEquals(49170, audio.port());
        assertEquals(SdpProfile.RTP_AVP, audio.profile());
        assertEquals(List.of("0", "8", "101"), audio.formats());
        assertEquals("PCMA/8000", audio.rtpmaps().get(8));
        assertEquals(49171, audio.rtcpPort());
        assertEquals("192.0.2.10", audio.rtcpAddress());
        assertFalse(audio.rtcpMux());
        assertNull(audio.connection());
        assertEquals("192.0.2.10", audio.effectiveConnection().address());
        assertEquals(SdpDirection.SENDRECV, audio.direction());
        SdpMedia video = m.get(1);
        assertEquals(SdpProfile.RTP_AVPF, video.profile());
        assertEquals("192.0.2.11", video.connection().address());
        assertTrue(video.rtcpMux());
        assertEquals(SdpDirection.RECVONLY, video.direction());
        assertEquals(-1, video.rtcpPort());
        SdpMedia app = m.get(2);
        assertTrue(app.isDisabled());
        assertEquals(SdpProfile.OTHER, app.profile());
        assertEquals("UDP/DTLS/SCTP", app.proto());
    }

    @Test
    void unchangedOutputIsByteExact() {
        assertEquals(AV, SdpSession.parse(AV).toString());
    }

    @Test
    void rewriteTouchesOnlyTargetLines() {
        SdpSession s = SdpSession.parse(AV);
        s.setConnectionAddress("203.0.113.5", true);
        s.media().get(0).setPort(30000);
        s.media().get(0).setRtcp(30001, "203.0.113.5");
        s.media().get(1).setPort(30002);
        s.media().get(1).setRtcpMux(false);
        s.media().get(1).setDirection(SdpDirection.SENDONLY);
        String expected = AV
                .replace("o=alice 2890844526 2890844527 IN IP4 192.0.2.10", "o=alice 2890844526 2890844527 IN IP4 203.0.113.5")
                .replace("c=IN IP4 192.0.2.10", "c=IN IP4 203.0.113.5")
                .replace("c=IN IP4 192.0.2.11", "c=IN IP4 203.0.113.5")
                .replace("m=audio 49170 ", "m=audio 30000 ")
                .replace("a=rtcp:49171 IN IP4 192.0.2.10", "a=rtcp:30001 IN IP4 203.0.113.5")
                .replace("m=video 51372 ", "m=video 30002 ")
                .replace("a=rtcp-mux\r\n", "")
                .replace("a=recvonly", "a=sendonly");
        assertEquals(expected, s.toString());
    }

    @Test
    void nonAsciiLinesStayByteExact() {
        byte[] in = ("v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=Caf\u00e9 \u263a\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\n"
                + "m=audio 4000 RTP/AVP 0\r\na=x:\u00ff\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        SdpSession s = SdpSession.parse(in);
        org.junit.jupiter.api.Assertions.assertArrayEquals(in, s.toBytes());
        s.media().get(0).setPort(5000);
        String out = new String(s.toBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(out.contains("s=Caf\u00e9 \u263a\r\n"), out);
        assertTrue(out.contains("m=audio 5000 RTP/AVP 0\r\n"), out);
    }

    @Test
    void ipv6AndLfOnlyInput() {
        String lf = "v=0\no=- 1 1 IN IP6 2001:db8::1\ns=-\nt=0 0\nm=audio 5004/2 RTP/SAVP 0\nc=IN IP6 2001:db8::2\n"
                + "a=rtcp:5005\n";
        SdpSession s = SdpSession.parse(lf);
        assertNull(s.connection());
        SdpMedia a = s.media().get(0);
        assertTrue(a.connection().isIpv6());
        assertEquals("2001:db8::2", a.connection().address());
        assertEquals(2, a.portCount());
        assertEquals(SdpProfile.RTP_SAVP, a.profile());
        assertNull(a.rtcpAddress());
        assertEquals(lf.replace("\n", "\r\n"), s.toString());
        s.setConnectionAddress("2001:db8::99", false);
        a.setPort(40000);
        a.setRtcpMux(true);
        assertEquals("c=IN IP6 2001:db8::99", a.lines().get(1));
        assertEquals("m=audio 40000/2 RTP/SAVP 0", a.lines().get(0));
        assertTrue(a.rtcpMux());
        // switching to IPv4 changes the address type too
        s.setConnectionAddress("192.0.2.1", true);
        assertEquals("IP4", a.connection().addrType());
        assertEquals("192.0.2.1", s.originAddress());
    }

    @Test
    void mediaWithoutAnyConnectionGetsSessionLevelOne() {
        String sdp = "v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n";
        SdpSession s = SdpSession.parse(sdp);
        s.setConnectionAddress("10.9.9.9", false);
        assertEquals("10.9.9.9", s.media().get(0).effectiveConnection().address());
        assertEquals("v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.9.9.9\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n",
                s.toString());
    }

    @Test
    void sessionDirectionAppliesUnlessMediaOverrides() {
        String sdp = "v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\na=inactive\r\n"
                + "m=audio 4000 UDP/TLS/RTP/SAVPF 111\r\nm=video 4002 RTP/SAVPF 96\r\na=sendonly\r\n";
        SdpSession s = SdpSession.parse(sdp);
        assertEquals(SdpDirection.INACTIVE, s.media().get(0).direction());
        assertEquals(SdpProfile.UDP_TLS_RTP_SAVPF, s.media().get(0).profile());
        assertEquals(SdpDirection.SENDONLY, s.media().get(1).direction());
        assertEquals(SdpProfile.RTP_SAVPF, s.media().get(1).profile());
        s.setDirection(SdpDirection.SENDRECV);
        assertEquals(SdpDirection.SENDRECV, s.media().get(0).direction());
    }

    @Test
    void rejectsMalformed() {
        assertThrows(SipParseException.class, () -> SdpSession.parse("o=- 1 1 IN IP4 1.2.3.4\r\n"));
        assertThrows(SipParseException.class, () -> SdpSession.parse("v=0\r\nm=audio x RTP/AVP 0\r\n"));
        assertThrows(SipParseException.class, () -> SdpSession.parse("v=0\r\nm =video 3227 RTP/AVP 31\r\n"));
        assertThrows(SipParseException.class, () -> SdpSession.parse("v=0\r\nc=IN IP4\r\n"));
        assertThrows(SipParseException.class, () -> SdpSession.parse("v=0\r\nm=audio 70000 RTP/AVP 0\r\n"));
        SipParseException e = assertThrows(SipParseException.class, () -> SdpSession.parse("v=0\r\no=bad\r\n"));
        assertTrue(e.getMessage().contains("o="), e.getMessage());
    }
    @Test
    void removesAttributesByNameKeepingEveryOtherLineExact() {
        String ice = "v=0\r\n"
                + "o=- 7 2 IN IP4 10.0.0.1\r\n"
                + "s=-\r\n"
                + "c=IN IP4 10.0.0.1\r\n"
                + "t=0 0\r\n"
                + "a=ice-options:trickle\r\n"
                + "a=ice-lite\r\n"
                + "a=group:BUNDLE 0\r\n"
                + "m=audio 4000 RTP/AVP 0\r\n"
                + "a=ice-ufrag:F7gI\r\n"
                + "a=ice-pwd:x9cml/YzichV2+XlhiMu8g\r\n"
                + "a=candidate:1 1 UDP 2130706431 10.0.0.1 4000 typ host\r\n"
                + "a=candidate-extra:kept\r\n"
                + "a=rtpmap:0 PCMU/8000\r\n"
                + "a=candidate:2 1 UDP 1694498815 203.0.113.7 4000 typ srflx raddr 10.0.0.1 rport 4000\r\n"
                + "a=end-of-candidates\r\n"
                + "m=video 4002 RTP/AVP 96\r\n"
                + "a=candidate:1 1 UDP 2130706431 10.0.0.1 4002 typ host\r\n"
                + "a=ice-lite\r\n";
        SdpSession s = SdpSession.parse(ice);
        java.util.Set<String> names = java.util.Set.of("candidate", "ice-ufrag", "ice-pwd", "ice-options",
                "end-of-candidates", "remote-candidates");
        assertEquals(1, s.removeAttributes(names));
        assertEquals(5, s.media().get(0).removeAttributes(names));
        assertEquals(0, s.removeAttributes(names), "media sections are not session level");
        assertEquals(2, s.media().get(1).removeAttributes(List.of("candidate", "ice-lite")));
        String expected = "v=0\r\n"
                + "o=- 7 2 IN IP4 10.0.0.1\r\n"
                + "s=-\r\n"
                + "c=IN IP4 10.0.0.1\r\n"
                + "t=0 0\r\n"
                + "a=ice-lite\r\n"
                + "a=group:BUNDLE 0\r\n"
                + "m=audio 4000 RTP/AVP 0\r\n"
                + "a=candidate-extra:kept\r\n"
                + "a=rtpmap:0 PCMU/8000\r\n"
                + "m=video 4002 RTP/AVP 96\r\n";
        assertEquals(expected, s.toString());
        assertThrows(IllegalArgumentException.class, () -> s.removeAttributes(List.of("rtcp:1")));
    }

    @Test
    void originVersionReadsAndReplacesOnlyTheVersion() {
        SdpSession s = SdpSession.parse(AV);
        assertEquals("2890844527", s.originVersion());
        s.setOriginVersion("18446744073709551616");
        assertEquals(AV.replace("o=alice 2890844526 2890844527 ", "o=alice 2890844526 18446744073709551616 "),
                s.toString());
        assertThrows(IllegalArgumentException.class, () -> s.setOriginVersion("1 2"));
        assertThrows(IllegalArgumentException.class, () -> s.setOriginVersion(""));
    }
}
