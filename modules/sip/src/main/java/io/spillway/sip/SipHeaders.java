package io.spillway.sip;

import java.nio.charset.StandardCharsets;

/**
 * Header names the parser knows, as small integer ids, with their canonical spelling and the
 * RFC 3261 7.3.3 compact forms (i f t v m l c k s e o u r x y). Names compare case-insensitively;
 * an unknown header gets {@link #OTHER} and is kept byte-exact.
 */
public final class SipHeaders {
    public static final int OTHER = 0;
    public static final int VIA = 1;
    public static final int FROM = 2;
    public static final int TO = 3;
    public static final int CALL_ID = 4;
    public static final int CSEQ = 5;
    public static final int MAX_FORWARDS = 6;
    public static final int CONTENT_LENGTH = 7;
    public static final int CONTENT_TYPE = 8;
    public static final int CONTACT = 9;
    public static final int ROUTE = 10;
    public static final int RECORD_ROUTE = 11;
    public static final int EXPIRES = 12;
    public static final int RETRY_AFTER = 13;
    public static final int AUTHORIZATION = 14;
    public static final int WWW_AUTHENTICATE = 15;
    public static final int PROXY_AUTHORIZATION = 16;
    public static final int PROXY_AUTHENTICATE = 17;
    public static final int ALLOW = 18;
    public static final int SUPPORTED = 19;
    public static final int REQUIRE = 20;
    public static final int PROXY_REQUIRE = 21;
    public static final int SUBJECT = 22;
    public static final int CONTENT_ENCODING = 23;
    public static final int EVENT = 24;
    public static final int ALLOW_EVENTS = 25;
    public static final int REFER_TO = 26;
    public static final int SESSION_EXPIRES = 27;
    public static final int IDENTITY = 28;
    public static final int DATE = 29;
    public static final int UNSUPPORTED = 30;
    public static final int USER_AGENT = 31;
    public static final int SERVER = 32;
    public static final int WARNING = 33;
    public static final int ACCEPT = 34;
    public static final int MIN_EXPIRES = 35;

    private static final String[] NAMES = {
        null, "Via", "From", "To", "Call-ID", "CSeq", "Max-Forwards", "Content-Length",
        "Content-Type", "Contact", "Route", "Record-Route", "Expires", "Retry-After",
        "Authorization", "WWW-Authenticate", "Proxy-Authorization", "Proxy-Authenticate", "Allow",
        "Supported", "Require", "Proxy-Require", "Subject", "Content-Encoding", "Event",
        "Allow-Events", "Refer-To", "Session-Expires", "Identity", "Date", "Unsupported",
        "User-Agent", "Server", "Warning", "Accept", "Min-Expires",
    };
    private static final byte[][] LOWER = new byte[NAMES.length][];
    /** Compact form letter ('a'..'z') to id, 0 when the letter is not a compact form. */
    private static final int[] COMPACT = new int[26];

    static {
        for (int i = 1; i < NAMES.length; i++) {
            LOWER[i] = NAMES[i].toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        }
        COMPACT['i' - 'a'] = CALL_ID;
        COMPACT['f' - 'a'] = FROM;
        COMPACT['t' - 'a'] = TO;
        COMPACT['v' - 'a'] = VIA;
        COMPACT['m' - 'a'] = CONTACT;
        COMPACT['l' - 'a'] = CONTENT_LENGTH;
        COMPACT['c' - 'a'] = CONTENT_TYPE;
        COMPACT['k' - 'a'] = SUPPORTED;
        COMPACT['s' - 'a'] = SUBJECT;
        COMPACT['e' - 'a'] = CONTENT_ENCODING;
        COMPACT['o' - 'a'] = EVENT;
        COMPACT['u' - 'a'] = ALLOW_EVENTS;
        COMPACT['r' - 'a'] = REFER_TO;
        COMPACT['x' - 'a'] = SESSION_EXPIRES;
        COMPACT['y' - 'a'] = IDENTITY;
    }

    private SipHeaders() {
    }

    /** The canonical spelling of a known id, e.g. {@code "Call-ID"}; null for {@link #OTHER}. */
    public static String canonicalName(int id) {
        return id > 0 && id < NAMES.length ? NAMES[id] : null;
    }

    /** The id of a header name (full or compact, any case), {@link #OTHER} when unknown. */
    public static int id(String name) {
        byte[] b = name.getBytes(StandardCharsets.UTF_8);
        return id(b, 0, b.length);
    }

    /** The id of the header name in {@code b[start, end)}. */
    public static int id(byte[] b, int start, int end) {
        int len = end - start;
        if (len == 1) {
            int c = b[start] | 0x20;
            return c >= 'a' && c <= 'z' ? COMPACT[c - 'a'] : OTHER;
        }
        for (int i = 1; i < LOWER.length; i++) {
            byte[] n = LOWER[i];
            if (SipText.regionEqualsIgnoreCase(b, start, end, n)) {
                return i;
            }
        }
        return OTHER;
    }

    /** True when the two names denote the same header (compact forms included). */
    static boolean sameName(byte[] b, int start, int end, int id, byte[] lowerName) {
        if (id != OTHER) {
            return id(b, start, end) == id;
        }
        return SipText.regionEqualsIgnoreCase(b, start, end, lowerName);
    }
}
