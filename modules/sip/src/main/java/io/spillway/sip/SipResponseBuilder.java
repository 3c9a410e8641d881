package io.spillway.sip;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Builds a response to a request (RFC 3261 8.2.6.2): copies every Via value in order, From, To
 * (adding a to-tag when asked and none is present), Call-ID and CSeq; then extra headers, an
 * optional body and Content-Length. Works on a fully parsed request and on the partial request of
 * a {@link SipParseException}; for the latter it copies only the values that parse (Via values,
 * From, To, Call-ID, CSeq) and sanitises the reason phrase, so the error response is itself
 * well-formed even when the broken header is one it echoes.
 */
public final class SipResponseBuilder {
    /** Longest reason phrase put into an error response; the parser's reason text is cut there. */
    static final int MAX_REASON_CHARS = 128;

    private final SipMessage request;
    private final int statusCode;
    private final String reason;
    private final boolean checked;
    private String toTag;
    private final StringBuilder extra = new StringBuilder();
    private String contentType;
    private byte[] body;

    private SipResponseBuilder(SipMessage request, int statusCode, String reason, boolean checked) {
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
        this.checked = checked;
    }

    /** A response to {@code request} with this status and reason phrase. */
    public static SipResponseBuilder forRequest(SipRequest request, int statusCode, String reason) {
        return new SipResponseBuilder(request, statusCode, reason, false);
    }

    /**
     * The error response for a parse failure, or null when the message must be dropped (and counted
     * by the caller): {@link SipParseException#canRespond()} is false, or the top Via, From, To,
     * Call-ID or CSeq the response has to echo does not parse itself (a response without them is not
     * well-formed, and one without the top Via cannot be routed). Via values below the top one that
     * do not parse are left out.
     */
    public static SipResponseBuilder forParseError(SipParseException e) {
        if (!e.canRespond()) {
            return null;
        }
        SipRequest r = e.request();
        List<String> vias;
        try {
            vias = r.headerValues("Via");
        } catch (RuntimeException bad) {
            return null;
        }
        if (vias.isEmpty() || !viaParses(vias.get(0)) || !nameAddrParses(r, SipHeaders.FROM)
                || !nameAddrParses(r, SipHeaders.TO) || !isCallId(r.callId()) || !isCSeq(value(r, SipHeaders.CSEQ))) {
            return null;
        }
        return new SipResponseBuilder(r, e.statusCode(), sanitise(e.reasonPhrase()), true);
    }

    private static String value(SipMessage m, int id) {
        int i = m.indexOf(id);
        return i < 0 ? null : m.headerValue(i);
    }

    private static boolean viaParses(String v) {
        try {
            Via.parse(v);
            return true;
        } catch (SipParseException bad) {
            return false;
        }
    }

    private static boolean nameAddrParses(SipMessage m, int id) {
        String v = value(m, id);
        if (v == null || !printable(v)) {
            return false;
        }
        try {
            NameAddr.parse(v);
            return true;
        } catch (SipParseException bad) {
            return false;
        }
    }

    /** RFC 3261 25.1: callid = word [ "@" word ]. */
    private static boolean isCallId(String v) {
        if (v == null || v.isEmpty()) {
            return false;
        }
        int at = v.indexOf('@');
        if (at == 0 || at == v.length() - 1 || at >= 0 && v.indexOf('@', at + 1) >= 0) {
            return false;
        }
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c != '@' && !(c < 128 && (Character.isLetterOrDigit(c) || CALLID_PUNCT.indexOf(c) >= 0))) {
                return false;
            }
        }
        return true;
    }

    private static final String CALLID_PUNCT = "-.!%*_+`'~()<>:\\\"/[]?{}";

    /** RFC 3261 25.1: CSeq = 1*DIGIT LWS Method, the number within what the parser accepts. */
    private static boolean isCSeq(String v) {
        if (v == null) {
            return false;
        }
        int i = 0;
        long n = 0;
        while (i < v.length() && SipText.isDigit(v.charAt(i)) && i < 10) {
            n = n * 10 + (v.charAt(i++) - '0');
        }
        if (i == 0 || n > SipLimits.MAX_CSEQ) {
            return false;
        }
        int ws = i;
        i = SipValueParser.skipLws(v, i);
        return i > ws && i < v.length() && SipText.isToken(v.substring(i));
    }

    private static boolean printable(String v) {
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c < 0x20 && c != '\t' || c == 0x7f) {
                return false;
            }
        }
        return true;
    }

    /** A reason phrase of printable ASCII only, at most {@link SipLimits#MAX_REASON_PHRASE} characters. */
    static String sanitise(String reason) {
        int n = Math.min(reason.length(), MAX_REASON_CHARS);
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            char c = reason.charAt(i);
            sb.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return sb.toString();
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
        if (checked) {
            for (String v : r.headerValues("Via")) {
                if (viaParses(v)) {
                    sb.append("Via: ").append(v.trim()).append("\r\n");
                }
            }
        } else {
            for (int i = 0; i < r.hcount; i++) {
                if (r.hid[i] == SipHeaders.VIA) {
                    sb.append("Via: ").append(r.headerValue(i)).append("\r\n");
                }
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
