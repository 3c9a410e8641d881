package io.spillway.node.overflow;

import io.netty.util.NetUtil;
import io.spillway.sip.SipParseException;
import io.spillway.sip.SipUri;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.Map;

/**
 * The reservation token as it travels in SIP: a Request-URI / Contact parameter
 * ({@value #TOKEN_PARAM}) naming the slot a node reserved for the call. Reads it, strips it, and
 * builds the URI a client is redirected (or a call forwarded) to.
 *
 * <p>The token is 22 characters of base64url, all {@code unreserved} (RFC 3261 25.1), so it needs no
 * escaping in a {@code uri-parameter}.
 */
public final class ReservationUris {
    /** The URI parameter that carries a reservation token. */
    public static final String TOKEN_PARAM = "spw-token";
    /** Longest token accepted from the wire; the cluster issues 22 characters. */
    static final int MAX_TOKEN_LENGTH = 64;

    private ReservationUris() {
    }

    /**
     * @return the token of the Request-URI, or null when it has none (or a malformed one)
     */
    public static String token(SipUri uri) {
        String token = uri.param(TOKEN_PARAM);
        if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
            return null;
        }
        return token;
    }

    /**
     * @return the token of {@code uriText}, or null when it has none or the URI does not parse
     */
    public static String token(String uriText) {
        try {
            return token(SipUri.parse(uriText));
        } catch (SipParseException e) {
            return null;
        }
    }

    /** {@code uri} without the token parameter, otherwise as written (parameter names lower-cased). */
    public static String stripToken(SipUri uri) {
        if (uri.param(TOKEN_PARAM) == null || !uri.isSip()) {
            return uri.toString();
        }
        StringBuilder sb = new StringBuilder(uri.toString().length());
        sb.append(uri.scheme()).append(':');
        if (uri.user() != null) {
            sb.append(uri.user());
            if (uri.password() != null) {
                sb.append(':').append(uri.password());
            }
            sb.append('@');
        }
        sb.append(uri.host());
        if (uri.port() >= 0) {
            sb.append(':').append(uri.port());
        }
        appendParams(sb, uri.params(), false);
        if (uri.headers() != null) {
            sb.append('?').append(uri.headers());
        }
        return sb.toString();
    }

    /**
     * The URI that sends the call to {@code node} with its reservation: the same user part (so the
     * call reaches the same destination), the node's address, the original parameters except
     * {@code maddr} (which would override the host) and an old token, and the new token. A {@code
     * tel:} number becomes the user part of a {@code sip:} URI with {@code user=phone}.
     *
     * @param original the INVITE's Request-URI
     * @param node the SIP address of the node that reserved the slot
     * @param token the reservation token
     */
    public static String redirectUri(SipUri original, InetSocketAddress node, String token) {
        StringBuilder sb = new StringBuilder(96);
        boolean tel = !original.isSip();
        sb.append(tel ? "sip" : original.scheme()).append(':');
        if (original.user() != null) {
            sb.append(original.user()).append('@');
        }
        String host = NetUtil.toAddressString(node.getAddress());
        sb.append(node.getAddress() instanceof Inet6Address ? "[" + host + "]" : host);
        sb.append(':').append(node.getPort());
        if (tel) {
            sb.append(";user=phone");
        } else {
            appendParams(sb, original.params(), true);
        }
        sb.append(';').append(TOKEN_PARAM).append('=').append(token);
        return sb.toString();
    }

    private static void appendParams(StringBuilder sb, Map<String, String> params, boolean dropMaddr) {
        for (Map.Entry<String, String> p : params.entrySet()) {
            String name = p.getKey();
            if (name.equals(TOKEN_PARAM) || dropMaddr && name.equals("maddr")) {
                continue;
            }
            sb.append(';').append(name);
            if (!p.getValue().isEmpty()) {
                sb.append('=').append(p.getValue());
            }
        }
    }
}
