package io.spillway.node.gateway;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.function.LongSupplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Stateless digest nonces: {@code base64url(issuedMs | salt | HMAC-SHA256(key, issuedMs | salt | realm)[0..16])}.
 * The server keeps no table of issued nonces, so a challenge flood grows nothing; a nonce proves it was
 * issued here (for this realm) and when. {@link #check} tells a forged nonce from an expired one, so
 * an expired but genuine nonce gets {@code stale=true} (RFC 3261 22.4, RFC 2617 3.2.1) and the client
 * retries without asking its user.
 *
 * <p>What it does not do: a nonce may be reused until it expires (no nonce-count table). The digest
 * response covers the method and Request-URI, so a captured response replays only the same request
 * within the nonce lifetime; keep the lifetime short (default 5 minutes) and use TLS where that
 * matters.
 */
public final class NonceCodec {
    /** What {@link #check} found. */
    public enum Status {
        /** Issued here, within its lifetime. */
        VALID,
        /** Issued here, lifetime over: challenge again with {@code stale=true}. */
        STALE,
        /** Not issued here (bad format or signature): challenge again without stale. */
        INVALID
    }

    private static final int TIME_BYTES = 8;
    private static final int SALT_BYTES = 8;
    private static final int MAC_BYTES = 16;
    private static final int RAW_BYTES = TIME_BYTES + SALT_BYTES + MAC_BYTES;
    /** Base64url without padding of {@link #RAW_BYTES}. */
    private static final int TEXT_LENGTH = (RAW_BYTES * 4 + 2) / 3;

    private final SecretKeySpec key;
    private final byte[] realm;
    private final long lifetimeMs;
    private final LongSupplier nowMs;
    private final SecureRandom random = new SecureRandom();
    private final ThreadLocal<Mac> macs;

    /**
     * @param key        HMAC key, at least 16 bytes (shared by the nodes that should accept each other's nonces)
     * @param realm      the realm nonces are bound to
     * @param lifetimeMs how long a nonce is valid
     * @param nowMs      wall clock in milliseconds ({@link System#currentTimeMillis} in production: nonces
     *                   must stay checkable across nodes and restarts, which a monotonic clock is not)
     */
    public NonceCodec(byte[] key, String realm, long lifetimeMs, LongSupplier nowMs) {
        if (key.length < 16) {
            throw new IllegalArgumentException("nonce key must be at least 16 bytes");
        }
        if (lifetimeMs <= 0) {
            throw new IllegalArgumentException("nonce lifetime must be positive");
        }
        this.key = new SecretKeySpec(key.clone(), "HmacSHA256");
        this.realm = realm.getBytes(StandardCharsets.UTF_8);
        this.lifetimeMs = lifetimeMs;
        this.nowMs = nowMs;
        this.macs = ThreadLocal.withInitial(this::newMac);
    }

    /** A random key for a single node (nonces die with the process). */
    public static byte[] randomKey() {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        return k;
    }

    /** A fresh nonce. */
    public String issue() {
        byte[] raw = new byte[RAW_BYTES];
        ByteBuffer.wrap(raw).putLong(nowMs.getAsLong());
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        System.arraycopy(salt, 0, raw, TIME_BYTES, SALT_BYTES);
        byte[] mac = mac(raw);
        System.arraycopy(mac, 0, raw, TIME_BYTES + SALT_BYTES, MAC_BYTES);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }

    /** Checks a nonce from a client's credentials. */
    public Status check(String nonce) {
        if (nonce == null || nonce.length() != TEXT_LENGTH) {
            return Status.INVALID;
        }
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(nonce);
        } catch (IllegalArgumentException e) {
            return Status.INVALID;
        }
        if (raw.length != RAW_BYTES) {
            return Status.INVALID;
        }
        byte[] expected = mac(raw);
        byte[] given = new byte[MAC_BYTES];
        System.arraycopy(raw, TIME_BYTES + SALT_BYTES, given, 0, MAC_BYTES);
        byte[] want = new byte[MAC_BYTES];
        System.arraycopy(expected, 0, want, 0, MAC_BYTES);
        if (!MessageDigest.isEqual(given, want)) {
            return Status.INVALID;
        }
        long issuedMs = ByteBuffer.wrap(raw).getLong();
        long ageMs = nowMs.getAsLong() - issuedMs;
        if (ageMs < -60_000L) {
            // issued in the future by more than clock skew between nodes allows: not ours to trust
            return Status.INVALID;
        }
        return ageMs > lifetimeMs ? Status.STALE : Status.VALID;
    }

    private byte[] mac(byte[] raw) {
        Mac m = macs.get();
        m.update(raw, 0, TIME_BYTES + SALT_BYTES);
        m.update(realm);
        return m.doFinal();
    }

    private Mac newMac() {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(key);
            return m;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
