package io.spillway.node.gateway;

import io.spillway.sip.AuthValue;
import io.spillway.sip.NameAddr;
import io.spillway.sip.SipParseException;
import io.spillway.sip.SipRequest;
import io.spillway.sip.SipUri;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * SIP digest authentication (RFC 3261 22, RFC 2617 with {@code qop=auth}, RFC 8760 SHA-256) of
 * REGISTER requests, and of INVITEs from sources outside the trusted networks (peers, SBCs, trunks).
 * Other methods pass: ACK and CANCEL cannot be challenged (RFC 3261 22.1) and in-dialog requests are
 * bound to a dialog that was authenticated at its INVITE.
 *
 * <p>Flow: no credentials → challenge (REGISTER: 401 + {@code WWW-Authenticate}; INVITE: 407 +
 * {@code Proxy-Authenticate}), offering SHA-256 first and MD5, one stateless nonce
 * ({@link NonceCodec}); wrong credentials → 403, counted, and a failure for the source's
 * {@link FailureTracker} entry; a correct response on an expired nonce → a new challenge with
 * {@code stale=true}; a blocked source → silently dropped. A REGISTER must authenticate as the user of
 * its To URI (no registering someone else's address-of-record).
 *
 * <p>Thread-safe and stateless apart from the tracker; callers pass the effective source address (the
 * PROXY protocol's when the request came through a trusted load balancer). Secrets are never logged.
 */
public final class DigestAuthenticator {
    private static final String REGISTER = "REGISTER";
    private static final String INVITE = "INVITE";
    /** A well-formed HA1 compared against when the user is unknown, so timing does not reveal users. */
    private static final String DUMMY_HA1 = "0".repeat(64);

    private final String realm;
    private final CredentialStore credentials;
    private final NonceCodec nonces;
    private final FailureTracker failures;
    private final CidrSet trustedInvite;
    private final GatewayCounters counters;

    /**
     * @param realm         the realm of challenges (and of the credentials accepted)
     * @param credentials   the users' HA1 hashes
     * @param nonces        nonce issue and check
     * @param failures      the block list fed by failures
     * @param trustedInvite sources whose INVITEs need no credentials
     * @param counters      drop counters ({@code challenged}, {@code auth_failed}, {@code blocked})
     */
    public DigestAuthenticator(String realm, CredentialStore credentials, NonceCodec nonces, FailureTracker failures,
                               CidrSet trustedInvite, GatewayCounters counters) {
        this.realm = realm;
        this.credentials = credentials;
        this.nonces = nonces;
        this.failures = failures;
        this.trustedInvite = trustedInvite;
        this.counters = counters;
    }

    /** True when the source is blocked (call first for every request, before parsing if possible). */
    public boolean isBlocked(InetAddress source) {
        return failures.isBlocked(source);
    }

    /** Decides whether {@code request} from {@code source} goes on; see the class comment. */
    public AuthDecision authenticate(SipRequest request, InetAddress source) {
        String method = request.method();
        boolean register = method.equals(REGISTER);
        if (!register && !method.equals(INVITE)) {
            return AuthDecision.PASS;
        }
        if (failures.isBlocked(source)) {
            counters.drop(GatewayListener.SIP, GatewayDropReason.BLOCKED);
            return AuthDecision.BLOCKED;
        }
        if (!register && trustedInvite.contains(source)) {
            return AuthDecision.PASS;
        }
        List<AuthValue> values;
        try {
            values = register ? request.authorization() : request.proxyAuthorization();
        } catch (SipParseException | IllegalArgumentException e) {
            return fail(source, AuthDecision.BAD_REQUEST);
        }
        AuthValue creds = null;
        for (AuthValue v : values) {
            if (v.isDigest() && realm.equals(v.param("realm"))) {
                creds = v;
                break;
            }
        }
        if (creds == null) {
            return challenge(register, false);
        }
        DigestAlgorithm algorithm = DigestAlgorithm.fromToken(creds.param("algorithm"));
        String username = creds.param("username");
        String nonce = creds.param("nonce");
        String uri = creds.param("uri");
        String response = creds.param("response");
        String qop = creds.param("qop");
        String nc = creds.param("nc");
        String cnonce = creds.param("cnonce");
        if (algorithm == null) {
            return challenge(register, false);
        }
        if (username == null || nonce == null || uri == null || response == null
            || (qop != null && (!qop.equalsIgnoreCase("auth") || nc == null || cnonce == null))) {
            return fail(source, AuthDecision.BAD_REQUEST);
        }
        NonceCodec.Status nonceStatus = nonces.check(nonce);
        if (nonceStatus == NonceCodec.Status.INVALID) {
            return challenge(register, false);
        }
        if (!sameResource(uri, request.requestUriString())) {
            return fail(source, AuthDecision.FORBIDDEN);
        }
        CredentialStore.Credential credential = credentials.find(username, realm);
        String ha1 = credential == null ? null : credential.ha1(algorithm);
        String expected = expectedResponse(algorithm, ha1 == null ? DUMMY_HA1 : ha1, nonce, nc, cnonce, qop,
            method, uri);
        boolean match = MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
            response.toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
        if (!match || ha1 == null) {
            return fail(source, AuthDecision.FORBIDDEN);
        }
        if (register && !username.equals(toUser(request))) {
            return fail(source, AuthDecision.FORBIDDEN);
        }
        if (nonceStatus == NonceCodec.Status.STALE) {
            return challenge(register, true);
        }
        failures.recordSuccess(source);
        counters.countAuthAccepted();
        return new AuthDecision(AuthDecision.Kind.ACCEPTED, username, 0, "", List.of());
    }

    /**
     * The digest {@code response} (RFC 2617 3.2.2.1; RFC 8760 for SHA-256): with {@code qop=auth},
     * {@code KD(HA1, nonce ":" nc ":" cnonce ":" qop ":" HA2)}, without qop {@code KD(HA1, nonce ":" HA2)},
     * where {@code HA2 = H(method ":" digest-uri)} and {@code KD(s, d) = H(s ":" d)}.
     */
    public static String expectedResponse(DigestAlgorithm algorithm, String ha1, String nonce, String nc,
                                          String cnonce, String qop, String method, String uri) {
        String ha2 = algorithm.hex(method + ":" + uri);
        String data = qop == null
            ? nonce + ":" + ha2
            : nonce + ":" + nc + ":" + cnonce + ":" + qop + ":" + ha2;
        return algorithm.hex(ha1 + ":" + data);
    }

    private AuthDecision challenge(boolean register, boolean stale) {
        counters.drop(GatewayListener.SIP, GatewayDropReason.CHALLENGED);
        String nonce = nonces.issue();
        String name = register ? "WWW-Authenticate" : "Proxy-Authenticate";
        List<String> headers = new ArrayList<>(4);
        for (DigestAlgorithm a : DigestAlgorithm.values()) {
            headers.add(name);
            headers.add("Digest realm=\"" + realm + "\", nonce=\"" + nonce + "\", algorithm=" + a.token()
                + ", qop=\"auth\"" + (stale ? ", stale=true" : ""));
        }
        return register
            ? new AuthDecision(AuthDecision.Kind.CHALLENGE, null, 401, "Unauthorized", headers)
            : new AuthDecision(AuthDecision.Kind.CHALLENGE, null, 407, "Proxy Authentication Required", headers);
    }

    private AuthDecision fail(InetAddress source, AuthDecision decision) {
        counters.drop(GatewayListener.SIP, GatewayDropReason.AUTH_FAILED);
        failures.recordFailure(source);
        return decision;
    }

    private static boolean sameResource(String digestUri, String requestUri) {
        if (digestUri.equals(requestUri)) {
            return true;
        }
        try {
            return SipUri.parse(digestUri).equals(SipUri.parse(requestUri));
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static String toUser(SipRequest request) {
        try {
            NameAddr to = request.to();
            return to == null || to.uri() == null ? null : to.uri().user();
        } catch (RuntimeException e) {
            return null;
        }
    }

    public String realm() {
        return realm;
    }
}
