package io.spillway.sip;

import java.util.Collections;
import java.util.Locale;
import java.util.Map;

/**
 * One Via value (RFC 3261 20.42): {@code SIP/2.0/UDP host:port;branch=...;received=...;rport}.
 * Parameter keys are lower-case; a flag parameter (e.g. {@code rport} without value) has "".
 *
 * @param protocol protocol name and version, normally {@code SIP/2.0}
 * @param transport transport in upper case (UDP, TCP, TLS, SCTP, WS, or any token)
 * @param host host as written (IPv6 with brackets)
 * @param port port, or -1 when absent
 * @param params via-params in order
 */
public record Via(String protocol, String transport, String host, int port, Map<String, String> params) {

    /** The branch parameter, or null. */
    public String branch() {
        return params.get("branch");
    }

    /**
     * The received address without brackets, or null. RFC 3261 20.42 writes an IPv6 address bare
     * ({@code received=2001:db8::1}); RFC 5118 4.5 shows deployed stacks bracketing it: both are read.
     */
    public String received() {
        String v = params.get("received");
        return v != null && v.length() > 2 && v.charAt(0) == '[' && v.charAt(v.length() - 1) == ']'
                ? v.substring(1, v.length() - 1) : v;
    }

    /** True when rport is present, with or without a value. */
    public boolean hasRport() {
        return params.containsKey("rport");
    }

    /** The rport value, or -1 when absent or present without a value. */
    public int rport() {
        String v = params.get("rport");
        return v == null || v.isEmpty() ? -1 : Integer.parseInt(v);
    }

    /** The maddr parameter, or null. */
    public String maddr() {
        return params.get("maddr");
    }

    /** The ttl parameter (0-255), or -1. */
    public int ttl() {
        String v = params.get("ttl");
        return v == null ? -1 : Integer.parseInt(v);
    }

    /** A parameter, "" for a flag, null when absent. */
    public String param(String name) {
        return params.get(name.toLowerCase(Locale.ROOT));
    }

    /** Formats a Via value for {@link SipMessage#pushVia}: {@code SIP/2.0/<transport> host[:port];branch=..[;rport]}. */
    public static String format(String transport, String host, int port, String branch, boolean rport) {
        StringBuilder sb = new StringBuilder(64).append("SIP/2.0/").append(transport).append(' ');
        sb.append(host.indexOf(':') >= 0 && host.charAt(0) != '[' ? "[" + host + "]" : host);
        if (port > 0) {
            sb.append(':').append(port);
        }
        sb.append(";branch=").append(branch);
        if (rport) {
            sb.append(";rport");
        }
        return sb.toString();
    }

    /**
     * via-parm = sent-protocol LWS sent-by *( SEMI via-params );
     * sent-protocol = protocol-name SLASH protocol-version SLASH transport (SLASH = SWS "/" SWS).
     */
    public static Via parse(String value) {
        String s = value.trim();
        int i = 0;
        int ns = i;
        i = SipValueParser.token(s, i);
        String name = s.substring(ns, i);
        i = slash(s, i);
        int vs = i;
        i = SipValueParser.token(s, i);
        String version = s.substring(vs, i);
        i = slash(s, i);
        int ts = i;
        i = SipValueParser.token(s, i);
        String transport = s.substring(ts, i).toUpperCase(Locale.ROOT);
        if (name.isEmpty() || version.isEmpty() || transport.isEmpty()) {
            throw SipValueParser.error("invalid Via sent-protocol");
        }
        int ws = i;
        i = SipValueParser.skipLws(s, i);
        if (i == ws) {
            throw SipValueParser.error("invalid Via sent-by");
        }
        int hs = i;
        if (i < s.length() && s.charAt(i) == '[') {
            int close = s.indexOf(']', i);
            if (close < 0) {
                throw SipValueParser.error("invalid Via host");
            }
            i = close + 1;
        } else {
            while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) && s.charAt(i) < 128
                    || s.charAt(i) == '-' || s.charAt(i) == '.')) {
                i++;
            }
        }
        String host = s.substring(hs, i);
        if (host.isEmpty()) {
            throw SipValueParser.error("invalid Via host");
        }
        int port = -1;
        int j = SipValueParser.skipLws(s, i);
        if (j < s.length() && s.charAt(j) == ':') {
            j = SipValueParser.skipLws(s, j + 1);
            int ps = j;
            long p = 0;
            while (j < s.length() && SipText.isDigit(s.charAt(j)) && j - ps < 6) {
                p = p * 10 + (s.charAt(j++) - '0');
            }
            if (j == ps || p > 65535) {
                throw SipValueParser.error("invalid Via port");
            }
            port = (int) p;
            i = j;
        }
        Map<String, String> params = SipValueParser.newParams();
        i = SipValueParser.params(s, i, params, "Via");
        if (i != s.length()) {
            throw SipValueParser.error("unexpected comma in Via value");
        }
        String rport = params.get("rport");
        String ttl = params.get("ttl");
        if (rport != null && !rport.isEmpty() && !isPort(rport) || ttl != null && !isTtl(ttl)) {
            throw SipValueParser.error("invalid Via rport or ttl");
        }
        return new Via(name + "/" + version, transport, host, port, Collections.unmodifiableMap(params));
    }

    private static int slash(String s, int i) {
        i = SipValueParser.skipLws(s, i);
        if (i >= s.length() || s.charAt(i) != '/') {
            throw SipValueParser.error("invalid Via sent-protocol");
        }
        return SipValueParser.skipLws(s, i + 1);
    }

    private static boolean isPort(String v) {
        return v.length() <= 5 && v.chars().allMatch(SipText::isDigit) && Integer.parseInt(v) <= 65535;
    }

    private static boolean isTtl(String v) {
        return !v.isEmpty() && v.length() <= 3 && v.chars().allMatch(SipText::isDigit) && Integer.parseInt(v) <= 255;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(64).append(protocol).append('/').append(transport).append(' ').append(host);
        if (port >= 0) {
            sb.append(':').append(port);
        }
        params.forEach((k, v) -> {
            sb.append(';').append(k);
            if (!v.isEmpty()) {
                sb.append('=').append(v);
            }
        });
        return sb.toString();
    }
}
