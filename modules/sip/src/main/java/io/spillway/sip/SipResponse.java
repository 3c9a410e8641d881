package io.spillway.sip;

import java.nio.charset.StandardCharsets;

/** A SIP response: status code, reason phrase and the {@link SipMessage} headers and body. */
public final class SipResponse extends SipMessage {
    int statusCode;
    int reasonStart;
    int reasonEnd;

    SipResponse(byte[] buf, int base, int expectedHeaders) {
        super(buf, base, expectedHeaders);
    }

    @Override
    public boolean isRequest() {
        return false;
    }

    @Override
    public SipResponse copy() {
        SipResponse r = copyInto(new SipResponse(buf, base, 1));
        r.statusCode = statusCode;
        r.reasonStart = reasonStart;
        r.reasonEnd = reasonEnd;
        return r;
    }

    /** Status code, 100-699. */
    public int statusCode() {
        return statusCode;
    }

    /** Reason phrase as sent (UTF-8, may be empty). */
    public String reasonPhrase() {
        return new String(buf, reasonStart, reasonEnd - reasonStart, StandardCharsets.UTF_8);
    }

    /** True for 1xx. */
    public boolean isProvisional() {
        return statusCode < 200;
    }
}
