package io.spillway.node.gateway;

import io.spillway.sip.SipRequest;
import java.net.InetAddress;

/**
 * The SIP listener's checks, in the order a message meets them. The transport calls
 * {@link #admit} for every datagram or framed TCP message <em>before parsing</em>, and the proxy
 * calls {@link #authorize} for every parsed request before it creates a transaction; both take the
 * effective source (the PROXY protocol header's address behind a trusted load balancer).
 */
public final class SipGuard {
    private final AccessPolicy policy;
    private final SourceRateTable rates;
    private final FailureTracker failures;
    private final DigestAuthenticator authenticator;
    private final CidrSet trusted;
    private final GatewayCounters counters;

    /**
     * @param authenticator null when authentication is off
     * @param trusted       sources exempt from the rate limit and from INVITE authentication
     */
    public SipGuard(AccessPolicy policy, SourceRateTable rates, FailureTracker failures,
                    DigestAuthenticator authenticator, CidrSet trusted, GatewayCounters counters) {
        this.policy = policy;
        this.rates = rates;
        this.failures = failures;
        this.authenticator = authenticator;
        this.trusted = trusted;
        this.counters = counters;
    }

    /**
     * Network policy, block list and per-source rate: false means drop the message unparsed and send
     * nothing (the drop is counted by reason). Lock-free; allocates nothing for a known IPv4 source.
     */
    public boolean admit(InetAddress source) {
        if (!policy.admit(source)) {
            return false;
        }
        if (failures.isBlocked(source)) {
            counters.drop(GatewayListener.SIP, GatewayDropReason.BLOCKED);
            return false;
        }
        if (trusted.contains(source)) {
            return true;
        }
        long key = SourceRateTable.keyOf(source);
        if (!rates.tryAcquire(key)) {
            // a refusal from the shared overflow bucket means the table is full of other sources
            counters.drop(GatewayListener.SIP,
                rates.isTracked(key) ? GatewayDropReason.RATE_LIMITED : GatewayDropReason.TABLE_FULL);
            return false;
        }
        return true;
    }

    /**
     * Digest authentication of a parsed request ({@link DigestAuthenticator}); {@link AuthDecision#PASS}
     * when authentication is off. When the decision does not {@link AuthDecision#proceeds() proceed},
     * send {@link AuthDecision#response} (if any) statelessly and stop.
     */
    public AuthDecision authorize(SipRequest request, InetAddress source) {
        return authenticator == null ? AuthDecision.PASS : authenticator.authenticate(request, source);
    }

    /** Sends a final response on the request's server transaction. */
    @FunctionalInterface
    public interface Responder {
        void respond(int statusCode, byte[] response);
    }

    /**
     * The proxy's one-line hook: authorizes {@code request}; when it may not go on, answers it through
     * {@code responder} (the challenge, 403 or 400; a source blocked meanwhile gets 403, since a server
     * transaction needs a final answer) and returns true.
     *
     * @param toTag the proxy's to-tag for the response
     */
    public boolean rejectUnauthorized(SipRequest request, InetAddress source, String toTag, Responder responder) {
        AuthDecision d = authorize(request, source);
        if (d.proceeds()) {
            return false;
        }
        AuthDecision answer = d.responds() ? d : AuthDecision.FORBIDDEN;
        responder.respond(answer.statusCode(), answer.response(request, toTag));
        return true;
    }

    public AccessPolicy policy() {
        return policy;
    }

    public SourceRateTable rates() {
        return rates;
    }

    public FailureTracker failures() {
        return failures;
    }

    /** The authenticator, or null when authentication is off. */
    public DigestAuthenticator authenticator() {
        return authenticator;
    }
}
