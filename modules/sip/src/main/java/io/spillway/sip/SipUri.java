package io.spillway.sip;

import java.util.Collections;
import java.util.Locale;
import java.util.Map;

/**
 * A URI as SIP uses it (RFC 3261 19.1, RFC 3966): {@code sip:}/{@code sips:} with user,
 * password, host (name, IPv4 or [IPv6]), port, parameters and headers; {@code tel:} with the
 * number as user and its parameters; any other scheme kept opaque. The text is kept as written
 * ({@link #toString()}); %-escapes are checked, not decoded.
 */
public final class SipUri {
    private final String text;
    private final String scheme;
    private final String user;
    private final String password;
    private final String host;
    private final int port;
    private final Map<String, String> params;
    private final String headers;

    private SipUri(String text, String scheme, String user, String password, String host, int port,
            Map<String, String> params, String headers) {
        this.text = text;
        this.scheme = scheme;
        this.user = user;
        this.password = password;
        this.host = host;
        this.port = port;
        this.params = params;
        this.headers = headers;
    }

    /** Parses a URI; throws {@link SipParseException} when a sip/sips/tel URI is malformed. */
    public static SipUri parse(String s) {
        int colon = s.indexOf(':');
        if (colon <= 0 || !Character.isLetter(s.charAt(0))) {
            throw SipValueParser.error("invalid URI");
        }
        for (int i = 0; i < colon; i++) {
            char c = s.charAt(i);
            if (!(Character.isLetterOrDigit(c) && c < 128) && c != '+' && c != '-' && c != '.') {
                throw SipValueParser.error("invalid URI scheme");
            }
        }
        String scheme = s.substring(0, colon).toLowerCase(Locale.ROOT);
        if (scheme.equals("sip") || scheme.equals("sips")) {
            return parseSip(s, scheme, colon + 1);
        }
        if (scheme.equals("tel")) {
            int semi = s.indexOf(';', colon);
            String number = semi < 0 ? s.substring(colon + 1) : s.substring(colon + 1, semi);
            if (number.isEmpty()) {
                throw SipValueParser.error("invalid tel URI");
            }
            Map<String, String> p = SipValueParser.newParams();
            if (semi >= 0) {
                SipValueParser.params(s, semi, p, "tel URI");
            }
            return new SipUri(s, scheme, number, null, null, -1, Collections.unmodifiableMap(p), null);
        }
        for (int i = colon + 1; i < s.length(); i++) {
            if (s.charAt(i) <= ' ') {
                throw SipValueParser.error("white space in URI");
            }
        }
        return new SipUri(s, scheme, null, null, null, -1, Collections.emptyMap(), null);
    }

    private static SipUri parseSip(String s, String scheme, int i) {
        int at = s.indexOf('@', i);
        String user = null;
        String password = null;
        if (at >= 0) {
            String userinfo = s.substring(i, at);
            int pc = userinfo.indexOf(':');
            user = pc < 0 ? userinfo : userinfo.substring(0, pc);
            password = pc < 0 ? null : userinfo.substring(pc + 1);
            checkChars(user, "user", "-_.!~*'()&=+$,;?/");
            if (user.isEmpty()) {
                throw SipValueParser.error("empty user in URI");
            }
            if (password != null) {
                checkChars(password, "password", "-_.!~*'()&=+$,");
            }
            i = at + 1;
        }
        int hs = i;
        String host;
        if (i < s.length() && s.charAt(i) == '[') {
            int close = s.indexOf(']', i);
            if (close < 0) {
                throw SipValueParser.error("invalid IPv6 reference in URI");
            }
            for (int k = i + 1; k < close; k++) {
                char c = s.charAt(k);
                if (!(Character.digit(c, 16) >= 0 && c < 128) && c != ':' && c != '.') {
                    throw SipValueParser.error("invalid IPv6 reference in URI");
                }
            }
            i = close + 1;
            host = s.substring(hs, i);
        } else {
            while (i < s.length() && isHostChar(s.charAt(i))) {
                i++;
            }
            host = s.substring(hs, i);
        }
        if (host.isEmpty() || host.equals("[]")) {
            throw SipValueParser.error("missing host in URI");
        }
        int port = -1;
        if (i < s.length() && s.charAt(i) == ':') {
            int ps = ++i;
            long p = 0;
            while (i < s.length() && SipText.isDigit(s.charAt(i)) && i - ps < 6) {
                p = p * 10 + (s.charAt(i++) - '0');
            }
            if (i == ps || p > 65535) {
                throw SipValueParser.error("invalid port in URI");
            }
            port = (int) p;
        }
        Map<String, String> params = SipValueParser.newParams();
        while (i < s.length() && s.charAt(i) == ';') {
            int ns = ++i;
            while (i < s.length() && s.charAt(i) != ';' && s.charAt(i) != '?') {
                i++;
            }
            String p = s.substring(ns, i);
            int eq = p.indexOf('=');
            String name = eq < 0 ? p : p.substring(0, eq);
            String value = eq < 0 ? "" : p.substring(eq + 1);
            if (name.isEmpty()) {
                throw SipValueParser.error("empty URI parameter");
            }
            checkChars(name, "URI parameter", "[]/:&+$-_.!~*'()");
            checkChars(value, "URI parameter", "[]/:&+$-_.!~*'()");
            params.put(name.toLowerCase(Locale.ROOT), value);
        }
        String headers = null;
        if (i < s.length() && s.charAt(i) == '?') {
            headers = s.substring(i + 1);
            checkChars(headers, "URI headers", "[]/?:+$-_.!~*'()=&");
            i = s.length();
        }
        if (i != s.length()) {
            throw SipValueParser.error("invalid character in URI");
        }
        return new SipUri(s, scheme, user, password, host, port, Collections.unmodifiableMap(params), headers);
    }

    private static boolean isHostChar(char c) {
        return c < 128 && (Character.isLetterOrDigit(c) || c == '-' || c == '.');
    }

    /** Allows alphanumerics, %HH escapes and {@code extra}. */
    private static void checkChars(String v, String what, String extra) {
        for (int k = 0; k < v.length(); k++) {
            char c = v.charAt(k);
            if (c == '%') {
                if (k + 2 >= v.length() || Character.digit(v.charAt(k + 1), 16) < 0
                        || Character.digit(v.charAt(k + 2), 16) < 0) {
                    throw SipValueParser.error("invalid escape in " + what);
                }
                k += 2;
            } else if (!(c < 128 && Character.isLetterOrDigit(c)) && extra.indexOf(c) < 0) {
                throw SipValueParser.error("invalid character in " + what);
            }
        }
    }

    /** Lower-case scheme: "sip", "sips", "tel" or other. */
    public String scheme() {
        return scheme;
    }

    /** True for sip: and sips:. */
    public boolean isSip() {
        return scheme.equals("sip") || scheme.equals("sips");
    }

    /** User part (escapes kept), the number for tel:, or null. */
    public String user() {
        return user;
    }

    /** Password, or null. */
    public String password() {
        return password;
    }

    /** Host as written; IPv6 keeps its brackets. Null for tel: and opaque URIs. */
    public String host() {
        return host;
    }

    /** Port, or -1 when absent. */
    public int port() {
        return port;
    }

    /** URI parameters, keys lower-case, "" for a flag (e.g. {@code lr}). */
    public Map<String, String> params() {
        return params;
    }

    /** A parameter value, "" for a flag, null when absent. */
    public String param(String name) {
        return params.get(name.toLowerCase(Locale.ROOT));
    }

    /** Header part after '?', or null. */
    public String headers() {
        return headers;
    }

    @Override
    public String toString() {
        return text;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SipUri u && u.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }
}
