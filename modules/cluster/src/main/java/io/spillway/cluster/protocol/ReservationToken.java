package io.spillway.cluster.protocol;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * Reservation tokens: 16 random bytes on the wire, 22 characters of unpadded base64url in text
 * (the form that travels in a SIP Contact URI parameter).
 */
public final class ReservationToken {
    /** Bytes of a token on the wire. */
    public static final int LENGTH = 16;
    /** Characters of a token in text form. */
    public static final int TEXT_LENGTH = 22;

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private ReservationToken() {
    }

    /** @return a fresh unguessable token */
    public static byte[] generate(final SecureRandom random) {
        final byte[] token = new byte[LENGTH];
        random.nextBytes(token);
        return token;
    }

    /** @return the text form of a 16-byte token */
    public static String toText(final byte[] token) {
        return ENCODER.encodeToString(token);
    }

    /**
     * @param text a token in text form, possibly hostile
     * @return the 16 bytes, or null when the text is not a well-formed token
     */
    public static byte[] fromText(final String text) {
        if (text == null || text.length() != TEXT_LENGTH) {
            return null;
        }
        try {
            final byte[] token = DECODER.decode(text);
            return token.length == LENGTH ? token : null;
        } catch (final IllegalArgumentException notBase64Url) {
            return null;
        }
    }
}
