package io.spillway.sip;

/**
 * The only exception the SIP and SDP parsers throw: a precise reason, the byte offset where it
 * was detected (or -1), and whether a response can be formed.
 *
 * <p>When {@link #canRespond()} is true, {@link #request()} returns the partly parsed request
 * (start line, Via, From, To, Call-ID and CSeq present) so the transport can answer
 * {@code statusCode() reasonPhrase()} with {@link SipResponseBuilder#forParseError}. Otherwise the
 * caller drops the message and counts it. Stack traces are not filled in: this is thrown for bad
 * network input, where the location in our code carries no information.
 */
public final class SipParseException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String reason;
    private final int offset;
    private final int statusCode;
    private final transient SipRequest request;

    /** An error without a response. */
    public SipParseException(String reason, int offset) {
        this(reason, offset, 400, null);
    }

    SipParseException(String reason, int offset, int statusCode, SipRequest request) {
        super(offset >= 0 ? reason + " at offset " + offset : reason, null, false, false);
        this.reason = reason;
        this.offset = offset;
        this.statusCode = statusCode;
        this.request = request;
    }

    /** What failed, short enough for a reason phrase, e.g. {@code "invalid Content-Length"}. */
    public String reason() {
        return reason;
    }

    /** Byte offset from the start of the input where the error was detected, or -1. */
    public int offset() {
        return offset;
    }

    /** Status code to answer with when {@link #canRespond()}: 400, 505 (version) or 513 (size). */
    public int statusCode() {
        return statusCode;
    }

    /** Reason phrase for the error response: "Bad Request: " plus {@link #reason()}. */
    public String reasonPhrase() {
        String base = statusCode == 505 ? "Version Not Supported"
                : statusCode == 513 ? "Message Too Large" : "Bad Request";
        return base + " (" + reason + ")";
    }

    /** True when a request line and usable Via, From, To, Call-ID and CSeq were parsed. */
    public boolean canRespond() {
        return request != null;
    }

    /** The partly parsed request to answer, or null when the message must be dropped. */
    public SipRequest request() {
        return request;
    }
}
