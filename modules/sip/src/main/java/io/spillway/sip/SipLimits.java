package io.spillway.sip;

/**
 * Spec and safety limits the parser enforces. A message beyond any of them is rejected with a
 * {@link SipParseException}; nothing is truncated silently.
 */
public final class SipLimits {
    /** Largest message accepted on any transport (the UDP datagram ceiling; TCP uses the same). */
    public static final int MAX_MESSAGE_BYTES = 65_535;
    /** Largest number of header lines (folded continuation lines do not count). */
    public static final int MAX_HEADERS = 256;
    /** Longest physical line, start line or header line, without its line end. */
    public static final int MAX_LINE_BYTES = 8_192;
    /** Largest body (Content-Length). */
    public static final int MAX_BODY_BYTES = 65_535;
    /** Largest CSeq sequence number accepted (RFC 3261 8.1.1.5: a 32-bit unsigned integer). */
    public static final long MAX_CSEQ = 0xFFFF_FFFFL;
    /** Largest Max-Forwards value (RFC 3261 20.22: 0-255 in practice; RFC 4475 scalar02). */
    public static final int MAX_MAX_FORWARDS = 255;
    /** Max-Forwards a proxy assumes when the header is absent (RFC 3261 16.6 step 3). */
    public static final int DEFAULT_MAX_FORWARDS = 70;
    /** Largest delta-seconds value (Expires, Retry-After, expires param): 2^32-1. */
    public static final long MAX_DELTA_SECONDS = 0xFFFF_FFFFL;

    private SipLimits() {
    }
}
