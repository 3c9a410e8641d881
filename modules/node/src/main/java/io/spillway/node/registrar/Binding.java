package io.spillway.node.registrar;

import io.spillway.sip.SipUri;
import java.net.InetSocketAddress;
import java.util.Locale;

/**
 * One registered contact of an address of record (RFC 3261 10.3).
 *
 * @param aor the address-of-record key, {@code user@host} (host lower-case)
 * @param contact the contact URI
 * @param q the q value, -1 when the REGISTER gave none (ranked as 1.0)
 * @param expiresAtMs when the binding lapses, on the registrar's clock
 * @param callId the Call-ID of the REGISTER that last wrote it
 * @param cseq that REGISTER's CSeq number
 * @param updatedAtMs when it was last written (ranks equal q values: most recent first)
 * @param source where that REGISTER came from (may be null)
 */
public record Binding(String aor, SipUri contact, double q, long expiresAtMs, String callId, long cseq,
                      long updatedAtMs, InetSocketAddress source) {

    /** The q used for ranking: the given one, or 1.0. */
    public double rankQ() {
        return q < 0 ? 1.0 : q;
    }

    /** True once {@code nowMs} has reached the expiry (wrap-safe). */
    public boolean isExpired(long nowMs) {
        return expiresAtMs - nowMs <= 0;
    }

    /** Seconds left at {@code nowMs}, rounded up, at least 0. */
    public long remainingSeconds(long nowMs) {
        long ms = expiresAtMs - nowMs;
        return ms <= 0 ? 0 : (ms + 999) / 1000;
    }

    /**
     * The key under which two contact URIs are the same binding: scheme, user, host (lower-case),
     * port and transport parameter, a practical subset of RFC 3261 19.1.4 URI equality.
     */
    public static String contactKey(SipUri uri) {
        if (!uri.isSip()) {
            return uri.toString();
        }
        String host = uri.host() == null ? "" : uri.host().toLowerCase(Locale.ROOT);
        String transport = uri.param("transport");
        return uri.scheme() + ":" + (uri.user() == null ? "" : uri.user()) + "@" + host + ":" + uri.port()
            + (transport == null ? "" : ";transport=" + transport.toLowerCase(Locale.ROOT));
    }

    /** The address-of-record key of {@code user} at {@code host}. */
    public static String aorKey(String user, String host) {
        return (user == null ? "" : user) + "@" + (host == null ? "" : host.toLowerCase(Locale.ROOT));
    }
}
