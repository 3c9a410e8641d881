package io.spillway.node.overflow;

import io.netty.util.NetUtil;
import io.spillway.cluster.ClusterNode;
import io.spillway.cluster.Placement;
import io.spillway.node.config.ClusterMode;
import io.spillway.sip.SipParseException;
import io.spillway.sip.SipRequest;
import io.spillway.sip.SipResponseBuilder;
import io.spillway.sip.SipUri;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntFunction;

/**
 * The decision an initial INVITE (out of dialog, no To tag) gets on this node: the one call the SIP
 * proxy makes before routing it.
 *
 * <pre>{@code
 * policy.decide(invite).whenCompleteAsync((d, err) -> {   // never completes exceptionally
 *     if (d instanceof OverflowDecision.Admit a) {
 *         route(invite, a.requestUri(), a.ticket());
 *     } else if (d instanceof OverflowDecision.Forward f) {
 *         forwardWithoutAnchoring(invite, f.targetUri(), f.nodeSipAddress());
 *     } else {
 *         respond(OverflowPolicy.response(invite, d).toTag(tag));   // 302 or 503
 *     }
 * }, channel.eventLoop());
 * }</pre>
 *
 * <ol>
 *   <li>Request-URI with a {@value ReservationUris#TOKEN_PARAM} parameter: the call was redirected
 *       here. The call is counted first ({@link AdmissionTicket}), then the token consumed (the
 *       cluster module's hand-off order); a live token admits it, with the parameter removed. An
 *       unknown, used or expired token is counted and the INVITE treated as a fresh call.
 *   <li>A fresh call is placed by the cluster: here if this node has room, else the first node of the
 *       sequence below its threshold ({@code 302} in redirect mode, forward in proxy mode), else
 *       {@code 503} with {@code Retry-After}.
 * </ol>
 *
 * <p>Thread-safe. The future completes on the calling thread when the call stays here, else on the
 * cluster's control loop: continue on the proxy's own loop ({@code *Async} with its executor).
 */
public final class OverflowPolicy {
    private static final String REASON_UNAVAILABLE = "Service Unavailable";

    private final ClusterNode cluster;
    private final AdmissionTable admissions;
    private final ClusterMode mode;
    private final long retryAfterSeconds;
    private final IntFunction<String> nodeName;
    private final LongAdder[] outcomes = new LongAdder[OverflowOutcome.values().length];
    private final LongAdder tokensRejected = new LongAdder();

    /**
     * @param cluster the running cluster node
     * @param admissions where admitted calls are counted until anchored
     * @param mode redirect (302) or proxy (forward)
     * @param retryAfterSeconds {@code Retry-After} of the 503
     * @param nodeName the configured id of a control-protocol node number
     */
    public OverflowPolicy(ClusterNode cluster, AdmissionTable admissions, ClusterMode mode, long retryAfterSeconds,
                          IntFunction<String> nodeName) {
        this.cluster = cluster;
        this.admissions = admissions;
        this.mode = mode;
        this.retryAfterSeconds = retryAfterSeconds;
        this.nodeName = nodeName;
        for (int i = 0; i < outcomes.length; i++) {
            outcomes[i] = new LongAdder();
        }
    }

    /**
     * Decides where the initial INVITE goes. Never completes exceptionally; a cluster that cannot
     * decide yields {@link OverflowDecision.Reject} ({@link OverflowOutcome#FAILED}).
     *
     * @param invite an initial INVITE (no To tag), already validated by the proxy
     */
    public CompletableFuture<OverflowDecision> decide(SipRequest invite) {
        SipUri uri;
        try {
            uri = invite.requestUri();
        } catch (SipParseException e) {
            return CompletableFuture.completedFuture(count(reject(OverflowOutcome.FAILED)));
        }
        String token = ReservationUris.token(uri);
        if (token != null) {
            AdmissionTicket ticket = admissions.open();
            if (cluster.consumeReservation(token)) {
                return CompletableFuture.completedFuture(
                    count(new OverflowDecision.Admit(ReservationUris.stripToken(uri), ticket, OverflowOutcome.TOKEN)));
            }
            ticket.close();
            tokensRejected.increment();
        }
        final SipUri target = uri;
        CompletableFuture<Placement> placement;
        try {
            placement = cluster.requestPlacement();
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(count(reject(OverflowOutcome.FAILED)));
        }
        return placement.handle((p, err) -> count(err != null ? reject(OverflowOutcome.FAILED) : decide(target, p)));
    }

    private OverflowDecision decide(SipUri uri, Placement placement) {
        if (placement instanceof Placement.Local local) {
            return admitLocal(uri, local);
        }
        if (placement instanceof Placement.Remote remote) {
            String to = ReservationUris.redirectUri(uri, remote.sipAddress(), remote.token());
            String node = nodeName.apply(remote.nodeId());
            return mode == ClusterMode.PROXY
                ? new OverflowDecision.Forward(to, hostPort(remote.sipAddress()), node)
                : new OverflowDecision.Redirect(to, node);
        }
        return reject(placement instanceof Placement.AllBusy ? OverflowOutcome.ALL_BUSY : OverflowOutcome.TIMED_OUT);
    }

    private OverflowDecision admitLocal(SipUri uri, Placement.Local local) {
        AdmissionTicket ticket = admissions.open();
        if (cluster.consumeReservation(local.reservation().token())) {
            return new OverflowDecision.Admit(ReservationUris.stripToken(uri), ticket, OverflowOutcome.LOCAL);
        }
        // Only possible if the lease expired between reserving and consuming (a stalled thread).
        ticket.close();
        return reject(OverflowOutcome.FAILED);
    }

    private OverflowDecision.Reject reject(OverflowOutcome outcome) {
        return new OverflowDecision.Reject(503, REASON_UNAVAILABLE, retryAfterSeconds, outcome);
    }

    private OverflowDecision count(OverflowDecision d) {
        outcomes[d.outcome().ordinal()].increment();
        return d;
    }

    /**
     * The final response for a {@link OverflowDecision.Redirect} ({@code 302} with the Contact) or a
     * {@link OverflowDecision.Reject} ({@code 503} with {@code Retry-After}). The proxy adds its To
     * tag and sends it through the INVITE's server transaction.
     *
     * @throws IllegalArgumentException for a decision that is not answered here (Admit, Forward)
     */
    public static SipResponseBuilder response(SipRequest invite, OverflowDecision decision) {
        if (decision instanceof OverflowDecision.Redirect r) {
            return SipResponseBuilder.forRequest(invite, 302, "Moved Temporarily")
                .header("Contact", "<" + r.contactUri() + ">");
        }
        if (decision instanceof OverflowDecision.Reject r) {
            return SipResponseBuilder.forRequest(invite, r.statusCode(), r.reason())
                .header("Retry-After", Long.toString(r.retryAfterSeconds()));
        }
        throw new IllegalArgumentException("no response for " + decision.outcome());
    }

    /** @return decisions with this outcome so far */
    public long count(OverflowOutcome outcome) {
        return outcomes[outcome.ordinal()].sum();
    }

    /** @return INVITEs whose reservation token was unknown, used or expired (then placed afresh) */
    public long tokensRejected() {
        return tokensRejected.sum();
    }

    /** @return redirect or proxy */
    public ClusterMode mode() {
        return mode;
    }

    static String hostPort(InetSocketAddress a) {
        String host = NetUtil.toAddressString(a.getAddress());
        return (a.getAddress() instanceof Inet6Address ? "[" + host + "]" : host) + ":" + a.getPort();
    }
}
