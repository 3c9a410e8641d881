package io.spillway.sip;

import java.nio.charset.StandardCharsets;

/** A SIP request: method, Request-URI and the {@link SipMessage} headers and body. */
public final class SipRequest extends SipMessage {
    String method;
    int uriStart;
    int uriEnd;
    /** Replacement Request-URI, or null. */
    String uri;

    SipRequest(byte[] buf, int base, int expectedHeaders) {
        super(buf, base, expectedHeaders);
    }

    @Override
    public boolean isRequest() {
        return true;
    }

    @Override
    public SipRequest copy() {
        SipRequest r = copyInto(new SipRequest(buf, base, 1));
        r.method = method;
        r.uriStart = uriStart;
        r.uriEnd = uriEnd;
        r.uri = uri;
        return r;
    }

    /** The method, a {@link SipMethods} constant when known. */
    public String method() {
        return method;
    }

    /** True when the method is {@code m} (case-sensitive, RFC 3261 7.1). */
    public boolean isMethod(String m) {
        return method.equals(m);
    }

    /** The Request-URI as written. */
    public String requestUriString() {
        return uri != null ? uri : new String(buf, uriStart, uriEnd - uriStart, StandardCharsets.UTF_8);
    }

    /** The Request-URI parsed; sip/sips/tel are structured, other schemes are opaque. */
    public SipUri requestUri() {
        return SipUri.parse(requestUriString());
    }

    /** Rewrites the Request-URI (RFC 3261 16.6 step 2); the rest of the start line is kept. */
    public void setRequestUri(String newUri) {
        for (int i = 0; i < newUri.length(); i++) {
            char c = newUri.charAt(i);
            if (c <= ' ' || c == 0x7f) {
                throw new IllegalArgumentException("white space or control character in Request-URI");
            }
        }
        this.uri = newUri;
        this.startLine = (method + " " + newUri + " SIP/2.0\r\n").getBytes(StandardCharsets.UTF_8);
    }
}
