package io.spillway.node.gateway;

import io.spillway.sip.SipRequest;
import io.spillway.sip.SipResponseBuilder;
import java.util.List;

/**
 * What {@link DigestAuthenticator#authenticate} decided for one request, and the response to send
 * when the request does not go on.
 *
 * @param kind       the decision
 * @param user       the authenticated user ({@link Kind#ACCEPTED}), else null
 * @param statusCode the response status when the request stops here (401, 407, 403, 400), else 0
 * @param reason     the reason phrase for {@code statusCode}
 * @param headers    extra response headers, name then value ({@code WWW-Authenticate} or
 *                   {@code Proxy-Authenticate} challenges)
 */
public record AuthDecision(Kind kind, String user, int statusCode, String reason, List<String> headers) {
    /** The decision. */
    public enum Kind {
        /** Not subject to authentication (method, or a trusted source): go on. */
        PASS,
        /** Credentials verified: go on as {@link #user()}. */
        ACCEPTED,
        /** No (usable) credentials, or a stale nonce: send the challenge. */
        CHALLENGE,
        /** Wrong credentials: send 403. */
        FORBIDDEN,
        /** Malformed credentials: send 400. */
        BAD_REQUEST,
        /** The source is blocked: drop silently (an answer would only tell the scanner it is heard). */
        BLOCKED
    }

    static final AuthDecision PASS = new AuthDecision(Kind.PASS, null, 0, "", List.of());
    static final AuthDecision BLOCKED = new AuthDecision(Kind.BLOCKED, null, 0, "", List.of());
    static final AuthDecision FORBIDDEN = new AuthDecision(Kind.FORBIDDEN, null, 403, "Forbidden", List.of());
    static final AuthDecision BAD_REQUEST =
        new AuthDecision(Kind.BAD_REQUEST, null, 400, "Bad Request (malformed credentials)", List.of());

    public AuthDecision {
        headers = List.copyOf(headers);
    }

    /** True when the request goes on ({@link Kind#PASS} or {@link Kind#ACCEPTED}). */
    public boolean proceeds() {
        return kind == Kind.PASS || kind == Kind.ACCEPTED;
    }

    /** True when the request must be answered with {@link #response}. */
    public boolean responds() {
        return statusCode != 0;
    }

    /**
     * The response to send for {@code request}, or null when nothing is sent ({@link #proceeds()} or
     * {@link Kind#BLOCKED}).
     *
     * @param toTag the to-tag for the response (the transaction layer's)
     */
    public byte[] response(SipRequest request, String toTag) {
        if (!responds()) {
            return null;
        }
        SipResponseBuilder b = SipResponseBuilder.forRequest(request, statusCode, reason).toTag(toTag);
        for (int i = 0; i + 1 < headers.size(); i += 2) {
            b.header(headers.get(i), headers.get(i + 1));
        }
        return b.toBytes();
    }
}
