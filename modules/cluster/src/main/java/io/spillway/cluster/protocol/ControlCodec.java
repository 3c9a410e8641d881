package io.spillway.cluster.protocol;

import io.netty.buffer.ByteBuf;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;

import javax.crypto.Mac;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;

/**
 * Frames and authenticates control datagrams: writes the header, signs the finished datagram with
 * HMAC-SHA256 keyed by the cluster secret, and checks the framing and MAC of a received one.
 *
 * <p>Not thread-safe: one instance per thread (each cluster node's event loop owns one). It keeps
 * one {@link Mac} and scratch arrays; the only allocation per datagram is the 32-byte digest the
 * JDK's HMAC allocates inside {@code doFinal} (48 B/op measured, see bench/RESULTS.md), which no
 * public JCA API avoids.
 *
 * <p>Verification checks, in order: length at least header plus MAC, magic, version, a known type,
 * the exact length for that type ({@link #MALFORMED} for any of these), then the MAC
 * ({@link #BAD_MAC}). Freshness and replay are the caller's business (they need a clock and
 * per-peer state), see {@link ReplayTable}.
 */
public final class ControlCodec {
    /** The datagram is well framed and its MAC is right. */
    public static final int OK = 0;
    /** Wrong length, magic, version or type. */
    public static final int MALFORMED = 1;
    /** The MAC does not match (forged, corrupted, or signed with another secret). */
    public static final int BAD_MAC = 2;

    /** Longest datagram of the protocol; anything longer is malformed. */
    public static final int MAX_DATAGRAM_LENGTH =
        HeaderFlyweight.HEADER_LENGTH + AcceptFlyweight.BODY_LENGTH + HeaderFlyweight.MAC_LENGTH;

    private static final String ALGORITHM = "HmacSHA256";

    private final Mac mac;
    private final byte[] scratch = new byte[MAX_DATAGRAM_LENGTH];
    private final byte[] computedMac = new byte[HeaderFlyweight.MAC_LENGTH];

    /**
     * @param secret the cluster's shared secret; copied into the key, never logged
     */
    public ControlCodec(final byte[] secret) {
        if (secret == null || secret.length == 0) {
            throw new IllegalArgumentException("secret must not be empty");
        }
        try {
            mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(secret, ALGORITHM));
        } catch (final NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /**
     * Starts a datagram at {@code out.writerIndex()}: reserves its full length and writes the
     * header. Write the body at the returned base plus {@link HeaderFlyweight#HEADER_LENGTH}, then
     * call {@link #finish}.
     *
     * @return the base index of the new datagram
     */
    public int begin(
            final ByteBuf out, final int type, final long requestId, final int originNodeId,
            final int senderNodeId, final long timestampUs) {
        final int length = MessageType.datagramLength(type);
        out.ensureWritable(length);
        final int base = out.writerIndex();
        HeaderFlyweight.putHeader(out, base, type, requestId, originNodeId, senderNodeId, timestampUs);
        return base;
    }

    /** Signs the datagram started at {@code base} and advances the writer index past its MAC. */
    public void finish(final ByteBuf out, final int base) {
        final int type = HeaderFlyweight.type(out, base);
        final int signedLength = HeaderFlyweight.HEADER_LENGTH + MessageType.bodyLength(type);
        computeMac(out, base, signedLength);
        out.setBytes(base + signedLength, computedMac);
        out.writerIndex(base + signedLength + HeaderFlyweight.MAC_LENGTH);
    }

    /**
     * Checks framing and MAC of the datagram occupying {@code buf}'s readable bytes. Never throws
     * for any content.
     *
     * @return {@link #OK}, {@link #MALFORMED} or {@link #BAD_MAC}
     */
    public int verify(final ByteBuf buf) {
        final int base = buf.readerIndex();
        final int length = buf.readableBytes();
        if (length < HeaderFlyweight.HEADER_LENGTH + HeaderFlyweight.MAC_LENGTH
            || length > MAX_DATAGRAM_LENGTH) {
            return MALFORMED;
        }
        if (HeaderFlyweight.magic(buf, base) != HeaderFlyweight.MAGIC
            || HeaderFlyweight.version(buf, base) != HeaderFlyweight.VERSION) {
            return MALFORMED;
        }
        final int type = HeaderFlyweight.type(buf, base);
        if (!MessageType.isKnown(type) || length != MessageType.datagramLength(type)) {
            return MALFORMED;
        }
        final int signedLength = length - HeaderFlyweight.MAC_LENGTH;
        computeMac(buf, base, signedLength);
        int diff = 0;
        for (int i = 0; i < HeaderFlyweight.MAC_LENGTH; i++) {
            diff |= computedMac[i] ^ buf.getByte(base + signedLength + i);
        }
        return diff == 0 ? OK : BAD_MAC;
    }

    private void computeMac(final ByteBuf buf, final int base, final int signedLength) {
        // Copy into a reused heap array: Mac.update(ByteBuffer) on a direct buffer allocates a
        // temporary array inside the JDK, update(byte[]) does not.
        buf.getBytes(base, scratch, 0, signedLength);
        mac.update(scratch, 0, signedLength);
        try {
            mac.doFinal(computedMac, 0);
        } catch (final ShortBufferException | IllegalStateException e) {
            throw macFailure(e);
        }
    }

    private static IllegalStateException macFailure(final Exception cause) {
        final GeneralSecurityException wrapped = new GeneralSecurityException(cause);
        return new IllegalStateException("HMAC computation failed", wrapped);
    }
}
