package io.spillway.node.ng;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class NgSdpEditorTest {

    static String fixture(String name) throws IOException {
        try (InputStream in = NgSdpEditorTest.class.getResourceAsStream("/ng/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void readsEveryMediaSectionWithItsAddresses() throws Exception {
        NgSdpEditor sdp = NgSdpEditor.parse(fixture("offer-audio-video.sdp"));
        assertEquals(2, sdp.media().size());
        NgSdpMedia audio = sdp.media().get(0);
        assertEquals("audio", audio.type());
        assertEquals(new InetSocketAddress("192.0.2.10", 49170), audio.rtp());
        assertEquals(new InetSocketAddress("192.0.2.10", 49171), audio.rtcp());
        assertFalse(audio.rtcpMux());
        NgSdpMedia video = sdp.media().get(1);
        assertEquals(new InetSocketAddress("192.0.2.11", 51372), video.rtp());
        assertEquals(new InetSocketAddress("192.0.2.12", 51400), video.rtcp());
    }

    @Test
    void rewritesPortsConnectionsRtcpAndDropsIce() throws Exception {
        NgSdpEditor sdp = NgSdpEditor.parse(fixture("offer-audio-video.sdp"));
        String out = sdp.rewrite(InetAddress.getByName("203.0.113.5"), new int[] {30000, 30002},
            new int[] {30001, 30003}, new boolean[] {false, true}, true);
        String expected = "v=0\r\n"
            + "o=alice 2890844526 2890844526 IN IP4 203.0.113.5\r\n"
            + "s=-\r\n"
            + "c=IN IP4 203.0.113.5\r\n"
            + "t=0 0\r\n"
            + "m=audio 30000 RTP/AVP 0 8 101\r\n"
            + "c=IN IP4 203.0.113.5\r\n"
            + "a=rtpmap:0 PCMU/8000\r\n"
            + "a=rtpmap:101 telephone-event/8000\r\n"
            + "a=sendrecv\r\n"
            + "a=rtcp:30001\r\n"
            + "m=video 30002 RTP/AVP 96\r\n"
            + "c=IN IP4 203.0.113.5\r\n"
            + "a=rtpmap:96 H264/90000\r\n"
            + "a=rtcp:30003\r\n"
            + "a=rtcp-mux\r\n";
        assertEquals(expected, out);
        // The rewritten body parses back to the relay's addresses.
        NgSdpEditor back = NgSdpEditor.parse(out);
        assertEquals(new InetSocketAddress("203.0.113.5", 30002), back.media().get(1).rtp());
    }

    @Test
    void keepsOriginUnlessAskedAndWritesIpv6() throws Exception {
        NgSdpEditor sdp = NgSdpEditor.parse(fixture("answer-audio-video.sdp"));
        String out = sdp.rewrite(InetAddress.getByName("::1"), new int[] {4000, 4002}, new int[] {4001, 4003},
            new boolean[] {true, false}, false);
        assertTrue(out.contains("o=bob 2808844564 2808844564 IN IP4 198.51.100.20\r\n"), out);
        assertTrue(out.contains("c=IN IP6 0:0:0:0:0:0:0:1\r\n"), out);
        assertTrue(out.startsWith("v=0\r\n"));
        assertTrue(sdp.media().get(0).rtcpMux());
        assertEquals(sdp.media().get(0).rtp(), sdp.media().get(0).rtcp());
    }

    @Test
    void keepsDisabledStreamsAtPortZero() throws Exception {
        String body = "v=0\no=- 1 1 IN IP4 10.0.0.1\ns=-\nc=IN IP4 10.0.0.1\nt=0 0\n"
            + "m=audio 1000 RTP/AVP 0\nm=video 0 RTP/AVP 96\n";
        NgSdpEditor sdp = NgSdpEditor.parse(body);
        assertTrue(sdp.media().get(1).disabled());
        String out = sdp.rewrite(InetAddress.getByName("10.9.9.9"), new int[] {2000, 0}, new int[] {2001, 0},
            new boolean[] {false, false}, false);
        assertTrue(out.contains("m=video 0 RTP/AVP 96\r\n"), out);
        assertTrue(out.contains("m=audio 2000 RTP/AVP 0\r\nc=IN IP4 10.9.9.9\r\na=rtcp:2001\r\n"), out);
        assertFalse(out.replace("\r\n", "").contains("\n"), "every line ends in CRLF");
    }

    @Test
    void rejectsUnusableBodies() {
        assertThrows(NgSdpException.class, () -> NgSdpEditor.parse("hello"));
        assertThrows(NgSdpException.class, () -> NgSdpEditor.parse("v=0\r\ns=-\r\n"));
        assertThrows(NgSdpException.class, () -> NgSdpEditor.parse("v=0\r\nm=audio 1000 RTP/AVP 0\r\n"));
        assertThrows(NgSdpException.class,
            () -> NgSdpEditor.parse("v=0\r\nc=IN IP4 host.example\r\nm=audio 1000 RTP/AVP 0\r\n"));
        assertThrows(NgSdpException.class,
            () -> NgSdpEditor.parse("v=0\r\nc=IN IP4 1.2.3.4\r\nm=audio 99999 RTP/AVP 0\r\n"));
        assertThrows(NgSdpException.class,
            () -> NgSdpEditor.parse("v=0\r\nc=IN IP4 1.2.3.4\r\nm=audio 1000\r\n"));
    }
}
