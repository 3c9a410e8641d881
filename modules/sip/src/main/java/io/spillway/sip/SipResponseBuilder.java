package io.spillway.sip;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Builds a response to a request (RFC 3261 8.2.6.2): copies every Via value in order, From, To
 * (adding a to-tag when asked and none is present), Call-ID and CSeq; then extra headers, an
 * optional body and Content-Length. Works on a fully parsed request and on the partial request of
 * a {@link SipParseException} (it copies raw header values, it does not parse them).
 */
public final class SipResponseBuilder {
    private final SipMessage request;
    private final int statusCode;
    private final String reason;
    private String toTag;
    private final StringBuilder extra = new StringBuilder();
    private String contentType;
    private byte[] body;

    private SipResponseBuilder(SipMessage request, int statusCode, String reason) {
        if (statusCode < 100 || statusCode > 699) {
            throw new IllegalArgumentException("status code out of range: " + statusCode);
        }
        for (int i = 0; i < reason.length(); i++) {
            if (reason.charAt(i) == '\r' || reason.charAt(i) == '\n') {
                throw new IllegalArgumentException("CR or LF in reason phrase");
            }
        }
        this.request = request;
        this.statusCode = statusCode;
        this.reason = reason;
    }

    /** A response to {@code request} with this status and reason phrase. */
    public static SipResponseBuilder forRequest(SipRequest request, int statusCode, String reason) {
        return new SipResponseBuilder(request, statusCode, reason);
    }

    /** The error response for a parse failure, or null when {@link SipParseException#canRespond()} is false. */
    public static SipResponseBuilder forParseError(SipParseException e) {
        return e.canRespond() ? new SipResponseBuilder(e.request(), e.statusCode(), e.reasonPhrase()) : null;
    }

    /** Adds {@code ;tag=tag} to To unless the request's To already has a tag. */
    public SipResponseBuilder toTag(String tag) {
        this.toTag = tag;
        return this;
    }

    /** Adds a header line after the copied ones. */
    public SipResponseBuilder header(String name, String value) {
        SipMessage.checkHeaderText(name, value);
        extra.append(name).append(": ").append(value).append("\r\n");
        return this;
    }

    /** Sets the body and its Content-Type. */
    public SipResponseBuilder body(String contentType, byte[] body) {
        this.contentType = contentType;
        this.body = body.clone();
        return this;
    }

    /** The response bytes. */
    public byte[] toBytes() {
        StringBuilder sb = new StringBuilder(512);
        sb.append("SIP/2.0 ").append(statusCode).append(' ').append(reason).append("\r\n");
        SipMessage r = request;
        for (int i = 0; i < r.hcount; i++) {
            if (r.hid[i] == SipHeaders.VIA) {
                sb.append("Via: ").append(r.headerValue(i)).append("\r\n");
            }
        }
        copy(sb, SipHeaders.FROM, "From");
        int to = r.indexOf(SipHeaders.TO);
        if (to >= 0) {
            sb.append("To: ").append(r.headerValue(to));
            if (toTag != null && r.toTag() == null) {
                sb.append(";tag=").append(toTag);
            }
            sb.append("\r\n");
        }
        copy(sb, SipHeaders.CALL_ID, "Call-ID");
        copy(sb, SipHeaders.CSEQ, "CSeq");
        sb.append(extra);
        if (body != null && contentType != null) {
            sb.append("Content-Type: ").append(contentType).append("\r\n");
        }
        sb.append("Content-Length: ").append(body == null ? 0 : body.length).append("\r\n\r\n");
        byte[] head = sb.toString().getBytes(StandardCharsets.UTF_8);
        if (body == null) {
            return head;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(head.length + body.length);
        out.write(head, 0, head.length);
        out.write(body, 0, body.length);
        return out.toByteArray();
    }

    private void copy(StringBuilder sb, int id, String name) {
        int i = request.indexOf(id);
        if (i >= 0) {
            sb.append(name).append(": ").append(request.headerValue(i)).append("\r\n");
        }
    }

    /** The response as a parsed message, ready for edits or {@link SipMessage#writeTo}. */
    public SipResponse build() {
        return (SipResponse) SipParser.parse(toBytes());
    }
}
