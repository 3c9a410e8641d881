package io.spillway.node.cluster;

import io.spillway.sip.SipParser;
import io.spillway.sip.SipRequest;
import java.nio.charset.StandardCharsets;

/** Initial INVITEs as a UAC sends them, for tests. */
final class Invites {
    private Invites() {
    }

    /** The text of an initial INVITE (no To tag) to {@code requestUri}, without a body. */
    static String text(String requestUri, String callId, String viaHostPort) {
        return "INVITE " + requestUri + " SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP " + viaHostPort + ";branch=z9hG4bK-" + callId + ";rport\r\n"
            + "Max-Forwards: 70\r\n"
            + "From: \"Alice\" <sip:alice@example.org>;tag=a-" + callId + "\r\n"
            + "To: <sip:bob@example.net>\r\n"
            + "Call-ID: " + callId + "\r\n"
            + "CSeq: 1 INVITE\r\n"
            + "Contact: <sip:alice@" + viaHostPort + ">\r\n"
            + "Content-Length: 0\r\n\r\n";
    }

    static SipRequest parse(String requestUri, String callId) {
        return SipParser.parseRequest(text(requestUri, callId, "127.0.0.1:5999").getBytes(StandardCharsets.UTF_8));
    }
}
