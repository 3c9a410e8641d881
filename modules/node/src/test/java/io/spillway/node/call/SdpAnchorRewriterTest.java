package io.spillway.node.call;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.spillway.media.Leg;
import io.spillway.media.LegPorts;
import io.spillway.media.MediaType;
import io.spillway.media.SessionPorts;
import io.spillway.media.StreamPorts;
import io.spillway.sip.sdp.SdpSession;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The SDP edits of anchoring, line by line: what changes and that nothing else does. */
@Timeout(5)
class SdpAnchorRewriterTest {
    private static final InetAddress RELAY = InetAddress.getLoopbackAddress();

    private static SessionPorts ports() {
        return new SessionPorts(1, "k", List.of(
            new StreamPorts(0, MediaType.AUDIO, new LegPorts(RELAY, 30000, 30001, false),
                new LegPorts(RELAY, 30002, 30003, false)),
            new StreamPorts(1, MediaType.VIDEO, new LegPorts(RELAY, 30004, 30005, false),
                new LegPorts(RELAY, 30006, 30007, false))));
    }

    private static final String OFFER = "v=0\r\n"
        + "o=alice 2890844526 2890844526 IN IP4 192.0.2.10\r\n"
        + "s=call\r\n"
        + "c=IN IP4 192.0.2.10\r\n"
        + "t=0 0\r\n"
        + "m=audio 49170 RTP/AVP 0 8 101\r\n"
        + "c=IN IP4 192.0.2.11\r\n"
        + "a=rtpmap:101 telephone-event/8000\r\n"
        + "a=fmtp:101 0-15\r\n"
        + "a=rtcp:49171 IN IP4 192.0.2.11\r\n"
        + "a=ptime:20\r\n"
        + "m=video 51372 RTP/AVP 96\r\n"
        + "a=rtpmap:96 H264/90000\r\n"
        + "a=rtcp-mux\r\n"
        + "m=text 0 RTP/AVP 98\r\n";

    @Test
    void offerPointsEveryLineAtTheRelayAndKeepsTheRest() {
        SdpSession sdp = SdpSession.parse(OFFER);
        byte[] out = SdpAnchorRewriter.rewrite(sdp, "203.0.113.5", new int[] {0, 1, -1},
            new boolean[] {false, true, false}, ports(), Leg.B, true);
        String expected = "v=0\r\n"
            + "o=alice 2890844526 2890844526 IN IP4 192.0.2.10\r\n"
            + "s=call\r\n"
            + "c=IN IP4 203.0.113.5\r\n"
            + "t=0 0\r\n"
            + "m=audio 30002 RTP/AVP 0 8 101\r\n"
            + "c=IN IP4 203.0.113.5\r\n"
            + "a=rtpmap:101 telephone-event/8000\r\n"
            + "a=fmtp:101 0-15\r\n"
            + "a=rtcp:30003\r\n"
            + "a=ptime:20\r\n"
            + "m=video 30006 RTP/AVP 96\r\n"
            + "a=rtpmap:96 H264/90000\r\n"
            + "a=rtcp-mux\r\n"
            + "a=rtcp:30007\r\n"
            + "m=text 0 RTP/AVP 98\r\n";
        assertEquals(expected, new String(out, StandardCharsets.UTF_8));
    }

    @Test
    void muxedAnswerNamesTheRtpPortForRtcp() {
        SdpSession sdp = SdpSession.parse(OFFER);
        String out = new String(SdpAnchorRewriter.rewrite(sdp, "203.0.113.5", new int[] {0, 1, -1},
            new boolean[] {true, true, false}, ports(), Leg.A, false), StandardCharsets.UTF_8);
        assertEquals(true, out.contains("m=audio 30000 RTP/AVP 0 8 101\r\n"), out);
        assertEquals(true, out.contains("a=rtcp:30000\r\n"), out);
        assertEquals(true, out.contains("m=video 30004 RTP/AVP 96\r\n"), out);
        assertEquals(true, out.contains("a=rtcp:30004\r\na=rtcp-mux\r\n") || out.contains("a=rtcp-mux\r\na=rtcp:30004\r\n"), out);
    }

    @Test
    void ipv6AddressesGetAnIp6ConnectionLine() {
        SdpSession sdp = SdpSession.parse(OFFER.replace("IN IP4 192.0.2.10", "IN IP6 2001:db8::1"));
        String out = new String(SdpAnchorRewriter.rewrite(sdp, "2001:db8::99", new int[] {0, 1, -1},
            new boolean[] {false, false, false}, ports(), Leg.B, true), StandardCharsets.UTF_8);
        assertEquals(true, out.contains("\r\nc=IN IP6 2001:db8::99\r\nt=0 0"), out);
        assertEquals(true, out.contains("m=audio 30002 RTP/AVP 0 8 101\r\nc=IN IP6 2001:db8::99\r\n"), out);
    }

    @Test
    void aLineWithoutRelayPortsIsDisabled() {
        SdpSession sdp = SdpSession.parse(OFFER);
        String out = new String(SdpAnchorRewriter.rewrite(sdp, "203.0.113.5", new int[] {0, -1, -1},
            new boolean[] {false, false, false}, ports(), Leg.B, true), StandardCharsets.UTF_8);
        assertEquals(true, out.contains("m=video 0 RTP/AVP 96\r\n"), out);
    }
    @Test
    void iceAttributesAreDroppedAtEveryLevelAndNothingElse() {
        String withIce = OFFER
            .replace("t=0 0\r\n", "t=0 0\r\na=ice-options:trickle\r\na=ice-ufrag:sess\r\na=ice-pwd:sesspwd0123456789abcdef\r\n")
            .replace("a=ptime:20\r\n", "a=ptime:20\r\na=ice-ufrag:F7gI\r\na=ice-pwd:x9cml/YzichV2+XlhiMu8g\r\n"
                + "a=candidate:1 1 UDP 2130706431 192.0.2.11 49170 typ host\r\n"
                + "a=candidate:1 2 UDP 2130706430 192.0.2.11 49171 typ host\r\n"
                + "a=end-of-candidates\r\n")
            .replace("a=rtcp-mux\r\n", "a=rtcp-mux\r\na=remote-candidates:1 192.0.2.10 51372\r\n"
                + "a=candidate:2 1 UDP 1694498815 203.0.113.7 51372 typ srflx raddr 192.0.2.10 rport 51372\r\n");
        String plain = new String(SdpAnchorRewriter.rewrite(SdpSession.parse(OFFER), "203.0.113.5",
            new int[] {0, 1, -1}, new boolean[] {false, true, false}, ports(), Leg.B, true), StandardCharsets.UTF_8);
        String out = new String(SdpAnchorRewriter.rewrite(SdpSession.parse(withIce), "203.0.113.5",
            new int[] {0, 1, -1}, new boolean[] {false, true, false}, ports(), Leg.B, true), StandardCharsets.UTF_8);
        assertEquals(plain, out, "the relay address replaces the candidates: no ICE attribute survives");
    }
}
