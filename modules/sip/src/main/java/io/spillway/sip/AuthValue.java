package io.spillway.sip;

import java.util.Collections;
import java.util.Locale;
import java.util.Map;

/**
 * A credentials or challenge value (Authorization, Proxy-Authorization, WWW-Authenticate,
 * Proxy-Authenticate; RFC 3261 25.1): the scheme and its comma-separated auth-params, quotes
 * removed. Keys are lower-case. Unknown schemes are kept the same way (RFC 4475 regaut01).
 *
 * @param scheme the scheme as written, e.g. {@code Digest}
 * @param params auth-params (realm, nonce, uri, response, username, algorithm, qop, ...)
 */
public record AuthValue(String scheme, Map<String, String> params) {

    /** True when the scheme is Digest (case-insensitive). */
    public boolean isDigest() {
        return scheme.equalsIgnoreCase("Digest");
    }

    /** A parameter, or null. */
    public String param(String name) {
        return params.get(name.toLowerCase(Locale.ROOT));
    }

    /** credentials = auth-scheme LWS auth-param *(COMMA auth-param); auth-param = token EQUAL (token / quoted-string). */
    public static AuthValue parse(String value) {
        String s = value.trim();
        int i = SipValueParser.token(s, 0);
        if (i == 0) {
            throw SipValueParser.error("invalid authentication scheme");
        }
        String scheme = s.substring(0, i);
        Map<String, String> params = SipValueParser.newParams();
        i = SipValueParser.skipLws(s, i);
        while (i < s.length()) {
            int ns = i;
            i = SipValueParser.token(s, i);
            if (i == ns) {
                throw SipValueParser.error("invalid authentication parameter");
            }
            String name = s.substring(ns, i).toLowerCase(Locale.ROOT);
            i = SipValueParser.skipLws(s, i);
            if (i >= s.length() || s.charAt(i) != '=') {
                throw SipValueParser.error("invalid authentication parameter");
            }
            i = SipValueParser.skipLws(s, i + 1);
            String v;
            if (i < s.length() && s.charAt(i) == '"') {
                int[] end = new int[1];
                v = SipValueParser.quoted(s, i, end);
                i = end[0];
            } else {
                int vs = i;
                i = SipValueParser.token(s, i);
                if (i == vs) {
                    throw SipValueParser.error("invalid authentication parameter value");
                }
                v = s.substring(vs, i);
            }
            params.put(name, v);
            i = SipValueParser.skipLws(s, i);
            if (i < s.length()) {
                if (s.charAt(i) != ',') {
                    throw SipValueParser.error("invalid authentication parameter list");
                }
                i = SipValueParser.skipLws(s, i + 1);
            }
        }
        return new AuthValue(scheme, Collections.unmodifiableMap(params));
    }
}
