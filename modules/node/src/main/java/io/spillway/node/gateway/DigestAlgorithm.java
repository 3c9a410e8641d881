package io.spillway.node.gateway;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** The digest algorithms offered and accepted (RFC 8760: SHA-256 preferred, MD5 for older clients). */
public enum DigestAlgorithm {
    SHA_256("SHA-256", "SHA-256"),
    MD5("MD5", "MD5");

    private final String token;
    private final String jcaName;

    DigestAlgorithm(String token, String jcaName) {
        this.token = token;
        this.jcaName = jcaName;
    }

    /** The {@code algorithm=} token. */
    public String token() {
        return token;
    }

    /** The algorithm of an {@code algorithm=} parameter (case-insensitive; absent means MD5), or null. */
    public static DigestAlgorithm fromToken(String token) {
        if (token == null) {
            return MD5;
        }
        for (DigestAlgorithm a : values()) {
            if (a.token.equalsIgnoreCase(token)) {
                return a;
            }
        }
        return null;
    }

    /** A fresh digest instance. */
    public MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance(jcaName);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(jcaName + " is part of every JDK", e);
        }
    }

    /** Lower-case hex of the digest of {@code text} (UTF-8). */
    public String hex(String text) {
        return Hex.of(newDigest().digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
}
