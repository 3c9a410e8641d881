package io.spillway.sip;

import java.util.LinkedHashMap;
import java.util.Map;

/** Grammar helpers for the typed header values; everything fails with {@link SipParseException}. */
final class SipValueParser {
    private static final String[] WKDAYS = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    private static final String[] MONTHS = {
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    };

    private SipValueParser() {
    }

    static SipParseException error(String reason) {
        return new SipParseException(reason, -1);
    }

    static int skipLws(String s, int i) {
        while (i < s.length() && SipText.isLws(s.charAt(i))) {
            i++;
        }
        return i;
    }

    static int token(String s, int i) {
        while (i < s.length() && SipText.isToken(s.charAt(i))) {
            i++;
        }
        return i;
    }

    /** delta-seconds = 1*DIGIT, at most 2^32-1. */
    static long deltaSeconds(String v, String header) {
        String t = v.trim();
        if (t.isEmpty() || t.length() > 10) {
            throw error("invalid " + header);
        }
        long n = 0;
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (!SipText.isDigit(c)) {
                throw error("invalid " + header);
            }
            n = n * 10 + (c - '0');
        }
        if (n > SipLimits.MAX_DELTA_SECONDS) {
            throw error("invalid " + header);
        }
        return n;
    }

    /** SIP-date = rfc1123-date: wkday "," SP date1 SP time SP "GMT" (RFC 3261 25.1; RFC 4475 baddate). */
    static void checkDate(String v) {
        String[] f = v.trim().split(" ");
        boolean ok = f.length == 6 && f[0].length() == 4 && f[0].charAt(3) == ','
                && indexOf(WKDAYS, f[0].substring(0, 3)) >= 0 && f[1].length() == 2 && digits(f[1])
                && indexOf(MONTHS, f[2]) >= 0 && f[3].length() == 4 && digits(f[3])
                && f[4].length() == 8 && f[4].charAt(2) == ':' && f[4].charAt(5) == ':'
                && digits(f[4].substring(0, 2) + f[4].substring(3, 5) + f[4].substring(6)) && f[5].equals("GMT");
        if (!ok) {
            throw error("invalid Date");
        }
    }

    private static int indexOf(String[] a, String s) {
        for (int i = 0; i < a.length; i++) {
            if (a[i].equals(s)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean digits(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (!SipText.isDigit(s.charAt(i))) {
                return false;
            }
        }
        return !s.isEmpty();
    }

    /**
     * Parses {@code *( SEMI generic-param )} from {@code i} into {@code out} (keys lower-cased,
     * values unquoted, "" for a flag); stops at a top-level comma or the end. Returns the index.
     * generic-param = token [ EQUAL gen-value ]; gen-value = token / host / quoted-string.
     */
    static int params(String s, int i, Map<String, String> out, String header) {
        while (true) {
            i = skipLws(s, i);
            if (i >= s.length() || s.charAt(i) == ',') {
                return i;
            }
            if (s.charAt(i) != ';') {
                throw error("invalid parameter in " + header);
            }
            i = skipLws(s, i + 1);
            int ns = i;
            i = token(s, i);
            if (i == ns) {
                throw error("empty parameter name in " + header);
            }
            String name = s.substring(ns, i).toLowerCase(java.util.Locale.ROOT);
            i = skipLws(s, i);
            String value = "";
            if (i < s.length() && s.charAt(i) == '=') {
                i = skipLws(s, i + 1);
                if (i < s.length() && s.charAt(i) == '"') {
                    int[] end = new int[1];
                    value = quoted(s, i, end);
                    i = end[0];
                } else if (i < s.length() && s.charAt(i) == '[') {
                    int close = s.indexOf(']', i);
                    if (close < 0) {
                        throw error("invalid IPv6 reference in " + header);
                    }
                    value = s.substring(i, close + 1);
                    i = close + 1;
                } else {
                    int vs = i;
                    // token, or an unbracketed IPv6 address (via-received, RFC 3261 20.42)
                    while (i < s.length() && (SipText.isToken(s.charAt(i)) || s.charAt(i) == ':')) {
                        i++;
                    }
                    if (i == vs) {
                        throw error("empty parameter value in " + header);
                    }
                    value = s.substring(vs, i);
                }
            }
            out.put(name, value);
        }
    }

    /** quoted-string = SWS DQUOTE *(qdtext / quoted-pair) DQUOTE; returns the unescaped text. */
    static String quoted(String s, int i, int[] end) {
        StringBuilder sb = new StringBuilder();
        i++;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '"') {
                end[0] = i + 1;
                return sb.toString();
            }
            if (c == '\\') {
                if (i + 1 >= s.length()) {
                    break;
                }
                sb.append(s.charAt(i + 1));
                i += 2;
                continue;
            }
            sb.append(c);
            i++;
        }
        throw error("unterminated quoted string");
    }

    static Map<String, String> newParams() {
        return new LinkedHashMap<>(4);
    }
}
