package io.spillway.sip.fuzz;

import io.spillway.sip.SipParseException;
import io.spillway.sip.sdp.SdpDirection;
import io.spillway.sip.sdp.SdpMedia;
import io.spillway.sip.sdp.SdpSession;
import io.spillway.testsupport.fuzz.FuzzCorpus;
import io.spillway.testsupport.fuzz.MutationFuzzer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * SDP parse and the relay's rewrite on mutated bodies: parsing returns a session or throws
 * {@link SipParseException}; a parsed session survives every accessor and the full relay rewrite
 * (connection and origin address, every m= port, RTCP, direction), and the rewritten body parses again
 * with the rewritten values.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SdpFuzzTest {
    private static final List<String> DICTIONARY = List.of("\r\nm=audio 0 RTP/AVP 0", "\r\nc=IN IP6 ::1",
        "\r\nc=IN IP4 ", "\r\na=rtcp:", "\r\na=rtcp-mux", "\r\na=sendonly", "\r\na=rtpmap:", "IN IP4 ", "IN IP6 ",
        "/2", "/127/3", "RTP/SAVPF", "m=video ", "o=- 0 0 IN IP4 ", "v=0\r\n");

    @Test
    void parseAndRewriteThrowOnlySipParseException() throws Exception {
        MutationFuzzer.of("sdp", FuzzCorpus.load(getClass(), "/fuzz/sdp"), DICTIONARY, SipParseException.class)
            .seed(0x5D9L).cases(100_000).budget(6, TimeUnit.SECONDS).maxLength(SdpSession.MAX_SDP_BYTES + 16)
            .run(SdpFuzzTest::exercise);
    }

    static void exercise(byte[] input) {
        SdpSession s = SdpSession.parse(input);
        touch(s.connection(), s.originAddress(), s.direction(), s.sessionLines());
        for (SdpMedia m : s.media()) {
            touch(m.type(), m.port(), m.portCount(), m.isDisabled(), m.proto(), m.profile(), m.formats(),
                m.connection(), m.effectiveConnection(), m.rtcpPort(), m.rtcpAddress(), m.rtcpMux(), m.direction(),
                m.rtpmaps(), m.attribute("rtpmap"), m.lines());
        }
        boolean v6 = s.connection() != null && s.connection().isIpv6();
        String relay = v6 ? "2001:db8::99" : "203.0.113.99";
        s.setConnectionAddress(relay, true);
        int port = 30000;
        for (SdpMedia m : s.media()) {
            if (!m.isDisabled()) {
                m.setPort(port);
                if (m.rtcpMux()) {
                    m.setRtcpMux(true);
                } else {
                    m.setRtcp(port + 1, null);
                }
                m.setDirection(SdpDirection.SENDRECV);
            }
            port += 2;
        }
        s.setDirection(SdpDirection.SENDRECV);
        byte[] out = s.toBytes();
        SdpSession again;
        try {
            again = SdpSession.parse(out);
        } catch (SipParseException e) {
            throw new AssertionError("the rewritten SDP does not parse: " + e.getMessage() + "\n"
                + new String(out, java.nio.charset.StandardCharsets.ISO_8859_1), e);
        }
        port = 30000;
        for (SdpMedia m : again.media()) {
            if (!m.isDisabled() && m.port() != port) {
                throw new AssertionError("m= port " + m.port() + " after rewrite to " + port);
            }
            port += 2;
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
