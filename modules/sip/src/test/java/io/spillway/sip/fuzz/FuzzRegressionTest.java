package io.spillway.sip.fuzz;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spillway.sip.SipParseException;
import io.spillway.sip.sdp.SdpSession;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Every crash the fuzz targets found, kept as a fixture under {@code fuzz/regressions/}. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class FuzzRegressionTest {
    private static byte[] fixture(String name) throws IOException {
        try (InputStream in = FuzzRegressionTest.class.getResourceAsStream("/fuzz/regressions/" + name)) {
            return in.readAllBytes();
        }
    }

    /** {@code a=rtcp: } (a blank port) threw ArrayIndexOutOfBoundsException from SdpSession.parse. */
    @Test
    void sdpRtcpAttributeWithBlankPortIsAParseError() throws Exception {
        SipParseException e = assertThrows(SipParseException.class,
            () -> SdpSession.parse(fixture("sdp-rtcp-blank-port.sdp")));
        assertTrue(e.getMessage().contains("a=rtcp"), e.getMessage());
        assertThrows(SipParseException.class, () -> SdpSession.parse(fixture("sdp-crash-cdd70d7d.bin")));
    }

    /** The same input through the whole SDP target (parse, accessors, rewrite, reparse). */
    @Test
    void sdpCrashInputsPassTheTarget() throws Exception {
        for (String f : new String[] {"sdp-rtcp-blank-port.sdp", "sdp-crash-cdd70d7d.bin"}) {
            assertThrows(SipParseException.class, () -> SdpFuzzTest.exercise(fixture(f)), f);
        }
    }
}
