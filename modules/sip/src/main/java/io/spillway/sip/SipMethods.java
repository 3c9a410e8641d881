package io.spillway.sip;

import java.nio.charset.StandardCharsets;

/** Method names as shared String constants, so parsing a known method allocates nothing. */
public final class SipMethods {
    public static final String INVITE = "INVITE";
    public static final String ACK = "ACK";
    public static final String BYE = "BYE";
    public static final String CANCEL = "CANCEL";
    public static final String OPTIONS = "OPTIONS";
    public static final String REGISTER = "REGISTER";
    public static final String PRACK = "PRACK";
    public static final String SUBSCRIBE = "SUBSCRIBE";
    public static final String NOTIFY = "NOTIFY";
    public static final String PUBLISH = "PUBLISH";
    public static final String INFO = "INFO";
    public static final String REFER = "REFER";
    public static final String MESSAGE = "MESSAGE";
    public static final String UPDATE = "UPDATE";

    private static final String[] KNOWN = {
        INVITE, ACK, BYE, CANCEL, OPTIONS, REGISTER, PRACK, SUBSCRIBE, NOTIFY, PUBLISH, INFO, REFER,
        MESSAGE, UPDATE,
    };
    private static final byte[][] KNOWN_BYTES = new byte[KNOWN.length][];

    static {
        for (int i = 0; i < KNOWN.length; i++) {
            KNOWN_BYTES[i] = KNOWN[i].getBytes(StandardCharsets.US_ASCII);
        }
    }

    private SipMethods() {
    }

    /** The method in {@code b[start,end)}: a shared constant when known (case-sensitive, RFC 3261 7.1). */
    static String of(byte[] b, int start, int end) {
        int len = end - start;
        for (int i = 0; i < KNOWN_BYTES.length; i++) {
            byte[] k = KNOWN_BYTES[i];
            if (k.length == len && java.util.Arrays.equals(b, start, end, k, 0, len)) {
                return KNOWN[i];
            }
        }
        return new String(b, start, len, StandardCharsets.UTF_8);
    }
}
