package io.spillway.node.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spillway.sip.AuthValue;
import io.spillway.sip.SipParser;
import io.spillway.sip.SipRequest;
import io.spillway.sip.SipResponse;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Digest authentication with client responses computed here, independently, per RFC 2617 / RFC 8760. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DigestAuthenticatorTest {
    private static final String REALM = "carrier.example";
    private static final long S = 1_000_000_000L;

    private final AtomicLong nowNs = new AtomicLong(77 * S);
    private final AtomicLong wallMs = new AtomicLong(1_764_000_000_000L);
    private GatewayCounters counters;
    private FailureTracker failures;
    private DigestAuthenticator auth;
    private InetAddress source;

    @BeforeEach
    void setUp() throws Exception {
        counters = new GatewayCounters();
        failures = new FailureTracker(3, 60 * S, 300 * S, 1000, nowNs::get);
        // the file form, as an operator writes it (hashes made with md5sum / sha256sum)
        String line = "alice:" + REALM + ":" + hex("MD5", "alice:" + REALM + ":s3cret") + ":"
            + hex("SHA-256", "alice:" + REALM + ":s3cret");
        CredentialStore store = CredentialStore.parse(List.of("# test users", line,
            "bob:" + REALM + ":-:" + hex("SHA-256", "bob:" + REALM + ":hunter2")), "test");
        NonceCodec nonces = new NonceCodec(new byte[32], REALM, 300_000, wallMs::get);
        auth = new DigestAuthenticator(REALM, store, nonces, failures, CidrSet.parse("10.0.0.0/8"), counters);
        source = InetAddress.getByName("192.0.2.10");
    }

    private static String hex(String alg, String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance(alg).digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    private static SipRequest request(String method, String user, String headerName, String credentials) {
        String uri = method.equals("REGISTER") ? "sip:" + REALM : "sip:bob@" + REALM;
        String text = method + " " + uri + " SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK" + Long.toHexString(System.nanoTime()) + "\r\n"
            + "Max-Forwards: 70\r\n"
            + "From: <sip:" + user + "@" + REALM + ">;tag=abc\r\n"
            + "To: <sip:" + user + "@" + REALM + ">\r\n"
            + "Call-ID: call-1@192.0.2.10\r\n"
            + "CSeq: 1 " + method + "\r\n"
            + "Contact: <sip:" + user + "@192.0.2.10:5060>\r\n"
            + (credentials == null ? "" : headerName + ": " + credentials + "\r\n")
            + "Content-Length: 0\r\n\r\n";
        return SipParser.parseRequest(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The client side of RFC 2617 3.2.2 with qop=auth, written out independently of the server code. */
    private static String credentials(String alg, String user, String password, String nonce, String method,
                                      String uri) throws Exception {
        String jca = alg.equals("MD5") ? "MD5" : "SHA-256";
        String ha1 = hex(jca, user + ":" + REALM + ":" + password);
        String ha2 = hex(jca, method + ":" + uri);
        String cnonce = "0a4f113b";
        String nc = "00000001";
        String response = hex(jca, ha1 + ":" + nonce + ":" + nc + ":" + cnonce + ":auth:" + ha2);
        return "Digest username=\"" + user + "\", realm=\"" + REALM + "\", nonce=\"" + nonce + "\", uri=\"" + uri
            + "\", response=\"" + response + "\", algorithm=" + alg + ", cnonce=\"" + cnonce + "\", qop=auth, nc=" + nc;
    }

    /** Sends the request without credentials, checks the challenge, returns the offered nonce. */
    private String challenge(String method, String user) {
        String header = method.equals("REGISTER") ? "Authorization" : "Proxy-Authorization";
        AuthDecision d = auth.authenticate(request(method, user, header, null), source);
        assertEquals(AuthDecision.Kind.CHALLENGE, d.kind());
        SipRequest req = request(method, user, header, null);
        SipResponse r = (SipResponse) SipParser.parse(d.response(req, "srv1"));
        List<AuthValue> ch = method.equals("REGISTER") ? r.wwwAuthenticate() : r.proxyAuthenticate();
        assertEquals(2, ch.size(), "SHA-256 and MD5 are both offered");
        assertEquals("SHA-256", ch.get(0).param("algorithm"), "SHA-256 first (RFC 8760)");
        assertEquals("MD5", ch.get(1).param("algorithm"));
        assertEquals(REALM, ch.get(0).param("realm"));
        assertEquals("auth", ch.get(0).param("qop"));
        assertEquals(ch.get(0).param("nonce"), ch.get(1).param("nonce"));
        assertNull(ch.get(0).param("stale"));
        return ch.get(0).param("nonce");
    }

    @Test
    void registerWithRightPasswordIsAcceptedWithBothAlgorithms() throws Exception {
        for (String alg : List.of("SHA-256", "MD5")) {
            String nonce = challenge("REGISTER", "alice");
            String creds = credentials(alg, "alice", "s3cret", nonce, "REGISTER", "sip:" + REALM);
            AuthDecision d = auth.authenticate(request("REGISTER", "alice", "Authorization", creds), source);
            assertEquals(AuthDecision.Kind.ACCEPTED, d.kind(), alg);
            assertEquals("alice", d.user());
            assertTrue(d.proceeds());
            assertNull(d.response(request("REGISTER", "alice", "Authorization", creds), "t"));
        }
        assertEquals(2, counters.authAccepted());
        assertEquals(2, counters.drops(GatewayListener.SIP, GatewayDropReason.CHALLENGED));
        assertEquals(0, counters.drops(GatewayListener.SIP, GatewayDropReason.AUTH_FAILED));
    }

    @Test
    void wrongPasswordGets401Then403AndIsCounted() throws Exception {
        String nonce = challenge("REGISTER", "alice");
        String creds = credentials("SHA-256", "alice", "guess", nonce, "REGISTER", "sip:" + REALM);
        SipRequest req = request("REGISTER", "alice", "Authorization", creds);
        AuthDecision d = auth.authenticate(req, source);
        assertEquals(AuthDecision.Kind.FORBIDDEN, d.kind());
        SipResponse r = (SipResponse) SipParser.parse(d.response(req, "t1"));
        assertEquals(403, r.statusCode());
        assertEquals(1, counters.drops(GatewayListener.SIP, GatewayDropReason.CHALLENGED));
        assertEquals(1, counters.drops(GatewayListener.SIP, GatewayDropReason.AUTH_FAILED));
        assertEquals(0, counters.authAccepted());
    }

    @Test
    void unknownUserAndUserWithoutTheAlgorithmAreForbidden() throws Exception {
        String nonce = challenge("REGISTER", "mallory");
        assertEquals(AuthDecision.Kind.FORBIDDEN, auth.authenticate(request("REGISTER", "mallory", "Authorization",
            credentials("SHA-256", "mallory", "x", nonce, "REGISTER", "sip:" + REALM)), source).kind());
        // bob has only a SHA-256 hash: a correct MD5 answer cannot be checked, so it fails
        assertEquals(AuthDecision.Kind.FORBIDDEN, auth.authenticate(request("REGISTER", "bob", "Authorization",
            credentials("MD5", "bob", "hunter2", nonce, "REGISTER", "sip:" + REALM)), source).kind());
        assertEquals(AuthDecision.Kind.ACCEPTED, auth.authenticate(request("REGISTER", "bob", "Authorization",
            credentials("SHA-256", "bob", "hunter2", nonce, "REGISTER", "sip:" + REALM)), source).kind());
    }

    @Test
    void registeringSomeoneElsesAddressIsForbidden() throws Exception {
        String nonce = challenge("REGISTER", "bob");
        // alice's valid credentials on a REGISTER whose To is bob
        String creds = credentials("SHA-256", "alice", "s3cret", nonce, "REGISTER", "sip:" + REALM);
        assertEquals(AuthDecision.Kind.FORBIDDEN,
            auth.authenticate(request("REGISTER", "bob", "Authorization", creds), source).kind());
    }

    @Test
    void expiredNonceWithRightPasswordGetsStaleChallenge() throws Exception {
        String nonce = challenge("REGISTER", "alice");
        wallMs.addAndGet(301_000);
        String creds = credentials("SHA-256", "alice", "s3cret", nonce, "REGISTER", "sip:" + REALM);
        SipRequest req = request("REGISTER", "alice", "Authorization", creds);
        AuthDecision d = auth.authenticate(req, source);
        assertEquals(AuthDecision.Kind.CHALLENGE, d.kind());
        SipResponse r = (SipResponse) SipParser.parse(d.response(req, "t"));
        assertEquals(401, r.statusCode());
        assertEquals("true", r.wwwAuthenticate().get(0).param("stale"));
        assertEquals("true", r.wwwAuthenticate().get(1).param("stale"));
        String fresh = r.wwwAuthenticate().get(0).param("nonce");
        assertFalse(fresh.equals(nonce));
        assertEquals(AuthDecision.Kind.ACCEPTED, auth.authenticate(request("REGISTER", "alice", "Authorization",
            credentials("SHA-256", "alice", "s3cret", fresh, "REGISTER", "sip:" + REALM)), source).kind());
        // an expired nonce with a wrong password is a failure, not stale
        wallMs.addAndGet(301_000);
        assertEquals(AuthDecision.Kind.FORBIDDEN, auth.authenticate(request("REGISTER", "alice", "Authorization",
            credentials("SHA-256", "alice", "nope", fresh, "REGISTER", "sip:" + REALM)), source).kind());
    }

    @Test
    void forgedNonceIsChallengedAfresh() throws Exception {
        String forged = new NonceCodec(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}, REALM,
            300_000, wallMs::get).issue();
        AuthDecision d = auth.authenticate(request("REGISTER", "alice", "Authorization",
            credentials("SHA-256", "alice", "s3cret", forged, "REGISTER", "sip:" + REALM)), source);
        assertEquals(AuthDecision.Kind.CHALLENGE, d.kind());
        assertFalse(d.headers().get(1).contains("stale"));
    }

    @Test
    void repeatedFailuresBlockTheSourceUntilTheBlockLifts() throws Exception {
        String nonce = challenge("REGISTER", "alice");
        String wrong = credentials("SHA-256", "alice", "guess", nonce, "REGISTER", "sip:" + REALM);
        for (int i = 0; i < 3; i++) {
            assertEquals(AuthDecision.Kind.FORBIDDEN,
                auth.authenticate(request("REGISTER", "alice", "Authorization", wrong), source).kind());
        }
        String right = credentials("SHA-256", "alice", "s3cret", nonce, "REGISTER", "sip:" + REALM);
        AuthDecision blocked = auth.authenticate(request("REGISTER", "alice", "Authorization", right), source);
        assertEquals(AuthDecision.Kind.BLOCKED, blocked.kind(), "even the right password is refused while blocked");
        assertNull(blocked.response(request("REGISTER", "alice", "Authorization", right), "t"), "dropped silently");
        assertTrue(auth.isBlocked(source));
        assertEquals(1, counters.drops(GatewayListener.SIP, GatewayDropReason.BLOCKED));
        assertEquals(3, counters.drops(GatewayListener.SIP, GatewayDropReason.AUTH_FAILED));
        InetAddress other = InetAddress.getByName("192.0.2.11");
        assertEquals(AuthDecision.Kind.ACCEPTED,
            auth.authenticate(request("REGISTER", "alice", "Authorization", right), other).kind());
        nowNs.addAndGet(300 * S);
        assertFalse(auth.isBlocked(source));
        assertEquals(AuthDecision.Kind.ACCEPTED,
            auth.authenticate(request("REGISTER", "alice", "Authorization", right), source).kind());
    }

    @Test
    void inviteIsChallengedWith407UnlessFromATrustedNetwork() throws Exception {
        String nonce = challenge("INVITE", "alice");
        AuthDecision d = auth.authenticate(request("INVITE", "alice", "Proxy-Authorization", null), source);
        SipResponse r = (SipResponse) SipParser.parse(d.response(request("INVITE", "alice", "Proxy-Authorization", null), "t"));
        assertEquals(407, r.statusCode());
        assertEquals(2, r.proxyAuthenticate().size());
        String creds = credentials("SHA-256", "alice", "s3cret", nonce, "INVITE", "sip:bob@" + REALM);
        assertEquals(AuthDecision.Kind.ACCEPTED,
            auth.authenticate(request("INVITE", "alice", "Proxy-Authorization", creds), source).kind());
        assertEquals(AuthDecision.Kind.PASS, auth.authenticate(request("INVITE", "alice", "Proxy-Authorization", null),
            InetAddress.getByName("10.1.2.3")).kind());
        // a response computed for another Request-URI does not authorize this one
        String otherUri = credentials("SHA-256", "alice", "s3cret", nonce, "INVITE", "sip:carol@" + REALM);
        assertEquals(AuthDecision.Kind.FORBIDDEN,
            auth.authenticate(request("INVITE", "alice", "Proxy-Authorization", otherUri), source).kind());
    }

    @Test
    void otherMethodsPassAndMalformedCredentialsAreBadRequests() throws Exception {
        assertEquals(AuthDecision.Kind.PASS, auth.authenticate(request("OPTIONS", "alice", "Authorization", null), source).kind());
        assertEquals(AuthDecision.Kind.PASS, auth.authenticate(request("BYE", "alice", "Authorization", null), source).kind());
        AuthDecision d = auth.authenticate(request("REGISTER", "alice", "Authorization",
            "Digest realm=\"" + REALM + "\", nonce=\"x\""), source);
        assertEquals(AuthDecision.Kind.BAD_REQUEST, d.kind());
        assertEquals(400, d.statusCode());
        d = auth.authenticate(request("REGISTER", "alice", "Authorization",
            "Digest realm=\"" + REALM + "\", username=\"alice\", nonce=\"x\", uri=\"sip:a\", response=\"0\", qop=auth-int, nc=1, cnonce=\"c\""), source);
        assertEquals(AuthDecision.Kind.BAD_REQUEST, d.kind(), "only qop=auth is offered");
        d = auth.authenticate(request("REGISTER", "alice", "Authorization", "Basic YWxpY2U6czNjcmV0"), source);
        assertEquals(AuthDecision.Kind.BAD_REQUEST, d.kind(), "Basic is not SIP (RFC 3261 22.1)");
        d = auth.authenticate(request("REGISTER", "alice", "Authorization",
            "Digest realm=\"other.example\", username=\"alice\", nonce=\"x\", uri=\"sip:a\", response=\"0\""),
            InetAddress.getByName("192.0.2.99"));
        assertEquals(AuthDecision.Kind.CHALLENGE, d.kind(), "no credentials for our realm: challenge");
        assertTrue(auth.isBlocked(source), "three malformed attempts count as failures");
    }

    @Test
    void credentialsFileRejectsPlainPasswordsAndNamesTheLine() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
            () -> CredentialStore.parse(List.of("alice:realm:s3cret:-"), "users.txt"));
        assertTrue(e.getMessage().contains("users.txt line 1"), e.getMessage());
        assertFalse(e.getMessage().contains("s3cret"), "errors never echo secrets");
        CredentialStore s = CredentialStore.ofPasswords("r", Map.of("u", "p"));
        assertNotNull(s.find("u", "r"));
        assertFalse(s.find("u", "r").toString().contains(s.find("u", "r").ha1Md5()), "toString hides hashes");
    }
}
