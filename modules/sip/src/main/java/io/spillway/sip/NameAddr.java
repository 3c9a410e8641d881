package io.spillway.sip;

import java.util.Collections;
import java.util.Locale;
import java.util.Map;

/**
 * An address header value (From, To, Contact, Route, Record-Route): {@code name-addr} or
 * {@code addr-spec} plus header parameters (RFC 3261 20.10, 25.1), or the Contact wildcard
 * {@code *}. Parameter keys are lower-case; a flag parameter has the value "".
 *
 * @param displayName the display name, unquoted and unescaped, or null
 * @param uri the URI, null only for the wildcard
 * @param params header parameters (tag, expires, q, ...)
 * @param wildcard true for {@code Contact: *}
 */
public record NameAddr(String displayName, SipUri uri, Map<String, String> params, boolean wildcard) {

    /** The Contact wildcard. */
    public static final NameAddr WILDCARD = new NameAddr(null, null, Collections.emptyMap(), true);

    /** True for {@code Contact: *}. */
    public boolean isWildcard() {
        return wildcard;
    }

    /** The tag parameter, or null. */
    public String tag() {
        return params.get("tag");
    }

    /** A parameter, "" for a flag, null when absent. */
    public String param(String name) {
        return params.get(name.toLowerCase(Locale.ROOT));
    }

    /** The expires parameter in seconds, or -1. */
    public long expires() {
        String e = params.get("expires");
        return e == null ? -1 : SipValueParser.deltaSeconds(e, "expires parameter");
    }

    /** The q parameter (0.0-1.0), or -1 when absent. */
    public double q() {
        String v = params.get("q");
        if (v == null) {
            return -1;
        }
        if (!v.matches("(0(\\.[0-9]{0,3})?)|(1(\\.0{0,3})?)")) {
            throw SipValueParser.error("invalid q parameter");
        }
        return Double.parseDouble(v);
    }

    /**
     * Parses one value: {@code [display-name] LAQUOT addr-spec RAQUOT *(SEMI param)} or
     * {@code addr-spec *(SEMI param)}; an addr-spec holding ',', '?' or ';' must be in {@code <>}.
     * display-name = *(token LWS) / quoted-string.
     */
    public static NameAddr parse(String value) {
        String s = value.trim();
        if (s.equals("*")) {
            return WILDCARD;
        }
        if (s.isEmpty()) {
            throw SipValueParser.error("empty address");
        }
        String display = null;
        int i = 0;
        SipUri uri;
        if (s.charAt(0) == '"') {
            int[] end = new int[1];
            display = SipValueParser.quoted(s, 0, end);
            i = SipValueParser.skipLws(s, end[0]);
            if (i >= s.length() || s.charAt(i) != '<') {
                throw SipValueParser.error("missing < after display name");
            }
        } else {
            int lt = s.indexOf('<');
            if (lt >= 0) {
                String dn = s.substring(0, lt).trim();
                for (int k = 0; k < dn.length(); k++) {
                    char c = dn.charAt(k);
                    if (!SipText.isToken(c) && !SipText.isLws(c)) {
                        throw SipValueParser.error("invalid display name");
                    }
                }
                display = dn.isEmpty() ? null : dn;
                i = lt;
            }
        }
        if (i < s.length() && s.charAt(i) == '<') {
            int gt = s.indexOf('>', i);
            if (gt < 0) {
                throw SipValueParser.error("missing > in address");
            }
            String spec = s.substring(i + 1, gt);
            if (spec.isEmpty() || SipText.isLws(spec.charAt(0)) || SipText.isLws(spec.charAt(spec.length() - 1))) {
                throw SipValueParser.error("white space inside <> in address");
            }
            uri = SipUri.parse(spec);
            i = gt + 1;
        } else {
            int semi = s.indexOf(';');
            String spec = semi < 0 ? s : s.substring(0, semi);
            spec = spec.trim();
            for (int k = 0; k < spec.length(); k++) {
                char c = spec.charAt(k);
                if (c == '?' || c == ',' || SipText.isLws(c) || c == '"' || c == '>') {
                    throw SipValueParser.error("addr-spec with '" + (SipText.isLws(c) ? ' ' : c)
                            + "' not enclosed in <>");
                }
            }
            uri = SipUri.parse(spec);
            i = semi < 0 ? s.length() : semi;
        }
        Map<String, String> params = SipValueParser.newParams();
        i = SipValueParser.params(s, i, params, "address");
        if (i != s.length()) {
            throw SipValueParser.error("unexpected comma in address");
        }
        return new NameAddr(display, uri, Collections.unmodifiableMap(params), false);
    }
}
