package io.spillway.node.sip.proxy;

import io.netty.util.NetUtil;
import io.spillway.node.call.CallView;
import io.spillway.node.call.MediaHook;
import io.spillway.node.call.MediaHookException;
import io.spillway.node.overflow.AdmissionTicket;
import io.spillway.node.overflow.OverflowDecision;
import io.spillway.node.overflow.OverflowPolicy;
import io.spillway.node.registrar.LocationService;
import io.spillway.node.registrar.RegisterHandler;
import io.spillway.node.sip.SipMetrics;
import io.spillway.node.sip.transaction.ClientTransaction;
import io.spillway.node.sip.transaction.ClientTransactionListener;
import io.spillway.node.sip.transaction.ServerTransaction;
import io.spillway.node.sip.transaction.TimerService;
import io.spillway.node.sip.transaction.TransactionLayer;
import io.spillway.node.sip.transaction.TransactionUser;
import io.spillway.node.sip.transport.Hosts;
import io.spillway.node.sip.transport.SipDestination;
import io.spillway.node.sip.transport.SipSource;
import io.spillway.node.sip.transport.SipTransport;
import io.spillway.node.sip.transport.SipTransportKind;
import io.spillway.node.sip.transport.ViaStamp;
import io.spillway.sip.NameAddr;
import io.spillway.sip.SipMessage;
import io.spillway.sip.SipMethods;
import io.spillway.sip.SipParseException;
import io.spillway.sip.SipParser;
import io.spillway.sip.SipRequest;
import io.spillway.sip.SipRequestBuilder;
import io.spillway.sip.SipResponse;
import io.spillway.sip.SipResponseBuilder;
import io.spillway.sip.SipUri;
import io.spillway.sip.Via;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The stateful proxy core (RFC 3261 section 16, one target per request, no forking), above the
 * transaction layer. Answers OPTIONS to the node itself; validates (416, 483, 420, 482); removes its
 * own Route values and Record-Routes initial INVITEs with {@code lr}; routes initial requests by the
 * location service, the static routes, then the Request-URI (404 when none applies); pushes a Via
 * whose branch carries the loop-detection hash; forwards ACK for 2xx and stray 2xx statelessly;
 * handles CANCEL; passes every SDP body through the {@link MediaHook}; and keeps a {@link CallRecord}
 * per call so it can release the relay once and send BYE to both parties when the relay ends a call.
 * Runs entirely on the signalling loop.
 */
public final class SipProxy implements TransactionUser {
    private static final Logger LOG = Logger.getLogger("spillway.sip");
    /** Every branch this node generates starts with this; the loop hash follows, then a '.' and a counter. */
    static final String BRANCH_PREFIX = "z9hG4bKsw";
    static final String ALLOW = "INVITE, ACK, BYE, CANCEL, OPTIONS, REGISTER, UPDATE, INFO, PRACK, MESSAGE, NOTIFY, REFER";
    /** Methods forwarded when they are not for the node itself. */
    private static final Set<String> FORWARDED = Set.of(SipMethods.INVITE, SipMethods.BYE, SipMethods.OPTIONS,
        SipMethods.UPDATE, SipMethods.INFO, SipMethods.PRACK, SipMethods.MESSAGE, SipMethods.NOTIFY,
        SipMethods.REFER, SipMethods.SUBSCRIBE);

    private final TransactionLayer layer;
    private final SipTransport transport;
    private final LocalIdentity identity;
    private final LocationService location;
    private final RegisterHandler registrar;
    private final StaticRoutes routes;
    private final MediaHook media;
    private final SipMetrics metrics;
    private final Executor loop;
    private final TimerService timers;
    private final long timerCMs;
    private final Executor resolver;
    private final HostResolver hostResolver;
    private final CallTable calls = new CallTable();
    private final String localTagBase = Long.toHexString(ThreadLocalRandom.current().nextLong());
    private long counter;
    private volatile boolean draining;
    private volatile long retryAfterSeconds = 30;
    private volatile io.spillway.node.gateway.SipGuard guard;
    /** Overflow decision for initial INVITEs (cluster); null: every call is taken here. */
    private volatile OverflowPolicy overflow;

    /** @param registrar the REGISTER handler for the node's domains, or null (REGISTER then gets 501) */
    public SipProxy(TransactionLayer layer, SipTransport transport, LocalIdentity identity, LocationService location,
                    RegisterHandler registrar, StaticRoutes routes, MediaHook media, SipMetrics metrics, Executor loop, TimerService timers,
                    long timerCMs, Executor resolver, HostResolver hostResolver) {
        this.layer = layer;
        this.transport = transport;
        this.identity = identity;
        this.location = location;
        this.registrar = registrar;
        this.routes = routes;
        this.media = media;
        this.metrics = metrics;
        this.loop = loop;
        this.timers = timers;
        this.timerCMs = timerCMs;
        this.resolver = resolver;
        this.hostResolver = hostResolver;
        media.onMediaEnded((callId, callerTag) -> loop.execute(() -> onMediaEnded(callId, callerTag)));
    }

    /** Calls with state (early or confirmed); readable from any thread. */
    public int activeCalls() {
        return calls.size();
    }

    /** The access gateway's digest authentication (null: none); set before traffic arrives. */
    public void guard(io.spillway.node.gateway.SipGuard guard) {
        this.guard = guard;
    }

    /** Asks {@code policy} where each initial INVITE goes (here, 302, forward, 503) before routing it. */
    public void overflow(OverflowPolicy policy) {
        this.overflow = policy;
    }

    /**
     * New initial INVITEs are refused with 503 and this Retry-After from now on (without a cluster;
     * with one, the overflow decision sends them on); calls in progress go on.
     */
    public void drain(long retryAfterSeconds) {
        this.retryAfterSeconds = retryAfterSeconds;
        draining = true;
    }

    /**
     * A snapshot of the calls for {@code GET /calls}, one entry per call: the dialog ({@code call_id},
     * {@code state}, {@code caller_tag}, {@code callee_tag}) and, when the media hook anchors it, the
     * call's media ({@code session_id}, {@code age_ms}, {@code idle_ms}, {@code streams}). Call on the loop.
     */
    public List<Map<String, Object>> callsView() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (CallRecord c : calls.all()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("call_id", c.callId);
            entry.put("state", c.state.name().toLowerCase(Locale.ROOT));
            entry.put("caller_tag", String.valueOf(c.callerTag));
            entry.put("callee_tag", String.valueOf(c.calleeTag));
            CallView mediaView = null;
            try {
                mediaView = media.callView(c.callId, c.callerTag);
            } catch (RuntimeException e) {
                LOG.log(Level.FINE, "no media view for " + c.callId, e);
            }
            if (mediaView != null) {
                entry.put("session_id", mediaView.sessionId());
                entry.put("age_ms", mediaView.ageMs());
                entry.put("idle_ms", mediaView.idleMs());
                entry.put("streams", mediaView.streams());
            }
            out.add(entry);
        }
        return out;
    }

    // ------------------------------------------------------------------ requests

    @Override
    public void onRequest(ServerTransaction st) {
        SipRequest req = st.request();
        metrics.requestReceived(req.method());
        try {
            handleRequest(st, req);
        } catch (SipParseException e) {
            respond(st, 400, "Bad Request (" + e.reason() + ")");
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "failed to process " + req.method() + " " + req.callId(), e);
            respond(st, 500, "Server Internal Error");
        }
    }

    private void handleRequest(ServerTransaction st, SipRequest req) {
        io.spillway.node.gateway.SipGuard g = guard;
        if (g != null && g.rejectUnauthorized(req, st.source().remote().getAddress(), localTag(), st::respond)) {
            return;
        }
        if (st.isInvite()) {
            respond(st, 100, "Trying");
        }
        SipUri ruri = req.requestUri();
        if (!ruri.isSip()) {
            respondRejected(st, 416, "Unsupported URI Scheme");
            return;
        }
        List<NameAddr> routeSet = req.routes();
        boolean foreignRoute = firstForeignRoute(routeSet) >= 0;
        if (req.isMethod(SipMethods.OPTIONS) && !foreignRoute && identity.isLocalDomain(ruri)
                && (ruri.user() == null || req.toTag() != null || resolveInitial(ruri) == null)) {
            respondOptions(st);
            return;
        }
        if (req.isMethod(SipMethods.REGISTER)) {
            if (registrar != null && !foreignRoute && (identity.isLocalDomain(ruri) || identity.servesAnyDomain())) {
                SipResponse answer = registrar.handle(req, st.source().remote());
                st.respond(answer.statusCode(), answer.toBytes());
                metrics.responseSent(answer.statusCode());
            } else {
                respondRejected(st, 501, "Not Implemented");
            }
            return;
        }
        if (req.maxForwards() == 0) {
            respondRejected(st, 483, "Too Many Hops");
            return;
        }
        List<String> proxyRequire = req.proxyRequire();
        if (!proxyRequire.isEmpty()) {
            respond(st, SipResponseBuilder.forRequest(req, 420, "Bad Extension").toTag(localTag())
                .header("Unsupported", String.join(", ", proxyRequire)), 420);
            metrics.requestRejected();
            return;
        }
        String loopHash = loopHash(req);
        if (isLoop(req, loopHash)) {
            respondRejected(st, 482, "Loop Detected");
            return;
        }
        if (!FORWARDED.contains(req.method())) {
            respondRejected(st, 501, "Not Implemented");
            return;
        }
        boolean inDialog = req.toTag() != null;
        boolean initialInvite = st.isInvite() && !inDialog;
        // With a cluster, a draining node reports itself full and the overflow decision sends calls on.
        if (initialInvite && draining && overflow == null) {
            respond(st, SipResponseBuilder.forRequest(req, 503, "Service Unavailable").toTag(localTag())
                .header("Retry-After", Long.toString(retryAfterSeconds)), 503);
            return;
        }
        OverflowPolicy policy = overflow;
        if (initialInvite && policy != null) {
            policy.decide(req).whenCompleteAsync((d, err) -> onOverflowDecision(st, req, loopHash, d), loop);
            return;
        }
        route(st, req, ruri, loopHash, inDialog, initialInvite, null);
    }

    /** Acts on the cluster's decision for an initial INVITE, on the loop. */
    private void onOverflowDecision(ServerTransaction st, SipRequest req, String loopHash, OverflowDecision d) {
        AdmissionTicket ticket = d instanceof OverflowDecision.Admit a ? a.ticket() : null;
        try {
            if (st.isFinal()) {
                closeTicket(ticket);
            } else if (d instanceof OverflowDecision.Admit a) {
                route(st, req, SipUri.parse(a.requestUri()), loopHash, false, true, ticket);
            } else if (d instanceof OverflowDecision.Forward f) {
                SipRequest fwd = (SipRequest) SipParser.parse(req.toBytes());
                removeOwnRoutes(fwd);
                fwd.setRequestUri(f.targetUri());
                forward(st, fwd, loopHash, NextHop.literal(SipUri.parse(f.targetUri())), true, null, false);
            } else {
                int code = d instanceof OverflowDecision.Reject r ? r.statusCode() : 302;
                respond(st, OverflowPolicy.response(req, d).toTag(localTag()), code);
            }
        } catch (RuntimeException e) {
            closeTicket(ticket);
            LOG.log(Level.WARNING, "failed to act on the overflow decision for " + req.callId(), e);
            respond(st, 500, "Server Internal Error");
        }
    }

    private static void closeTicket(AdmissionTicket ticket) {
        if (ticket != null) {
            ticket.close();
        }
    }

    /**
     * Routes and forwards a request. {@code ruri} may differ from the request's (an admitted overflow
     * call without its token); {@code ticket} counts an admitted call until its media is anchored.
     */
    private void route(ServerTransaction st, SipRequest req, SipUri ruri, String loopHash, boolean inDialog,
                       boolean initialInvite, AdmissionTicket ticket) {
        SipRequest fwd = (SipRequest) SipParser.parse(req.toBytes());
        if (!ruri.toString().equals(req.requestUriString())) {
            fwd.setRequestUri(ruri.toString());
        }
        removeOwnRoutes(fwd);
        SipUri target;
        List<NameAddr> remaining = fwd.routes();
        if (!remaining.isEmpty()) {
            target = remaining.get(0).uri();
        } else if (inDialog) {
            if (identity.isOwnUri(ruri)) {
                respondRejected(st, 481, "Call/Transaction Does Not Exist");
                return;
            }
            target = ruri;
        } else {
            String next = resolveInitial(ruri);
            if (next == null) {
                closeTicket(ticket);
                respondRejected(st, 404, "Not Found");
                return;
            }
            if (!next.equals(ruri.toString())) {
                fwd.setRequestUri(next);
            }
            target = SipUri.parse(next);
        }
        if (identity.isOwnUri(target)) {
            closeTicket(ticket);
            respondRejected(st, 482, "Loop Detected");
            return;
        }
        SipDestination literal = NextHop.literal(target);
        if (literal != null) {
            forward(st, fwd, loopHash, literal, initialInvite, ticket, true);
            return;
        }
        SipUri t = target;
        CompletableFuture.supplyAsync(() -> resolve(t), resolver).whenCompleteAsync((dest, err) -> {
            if (dest == null) {
                closeTicket(ticket);
                respondRejected(st, 503, "Service Unavailable (cannot resolve " + t.host() + ")");
            } else {
                forward(st, fwd, loopHash, dest, initialInvite, ticket, true);
            }
        }, loop);
    }

    private SipDestination resolve(SipUri uri) {
        try {
            InetAddress a = hostResolver.resolve(NextHop.hostOf(uri));
            return SipDestination.of(NextHop.transportOf(uri), new InetSocketAddress(a, NextHop.portOf(uri)));
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }

    /** Routing of an initial request: location binding, else static route, else the Request-URI itself. */
    private String resolveInitial(SipUri ruri) {
        boolean local = identity.isLocalDomain(ruri);
        if ((local || identity.servesAnyDomain()) && ruri.user() != null) {
            List<SipUri> contacts = location.lookup(ruri.user(), ruri.host());
            if (contacts != null && !contacts.isEmpty()) {
                return contacts.get(0).toString();
            }
        }
        String upstream = routes.match(ruri.user());
        if (upstream != null) {
            return retarget(ruri, SipUri.parse(upstream));
        }
        return local ? null : ruri.toString();
    }

    /** The caller's user at the upstream's host, port and parameters. */
    private static String retarget(SipUri ruri, SipUri upstream) {
        StringBuilder sb = new StringBuilder(64).append(upstream.scheme()).append(':');
        if (ruri.user() != null) {
            sb.append(ruri.user()).append('@');
        }
        sb.append(upstream.host());
        if (upstream.port() > 0) {
            sb.append(':').append(upstream.port());
        }
        upstream.params().forEach((k, v) -> {
            sb.append(';').append(k);
            if (!v.isEmpty()) {
                sb.append('=').append(v);
            }
        });
        return sb.toString();
    }

    /**
     * @param ticket an admitted overflow call's ticket, closed once its offer is anchored (or failed)
     * @param anchorMedia false for a call forwarded to the cluster node that anchors it (proxy mode)
     */
    private void forward(ServerTransaction st, SipRequest fwd, String loopHash, SipDestination target,
                         boolean initialInvite, AdmissionTicket ticket, boolean anchorMedia) {
        if (st.isFinal()) {
            closeTicket(ticket);
            return;
        }
        SipRequest req = st.request();
        String callId = req.callId();
        CallRecord call = calls.get(callId);
        String callerTag;
        boolean fromCaller;
        if (initialInvite) {
            if (call == null || call.state != CallRecord.State.CONFIRMED) {
                call = new CallRecord(callId, req.fromTag(), req.header("From"), contactUri(req),
                    st.responseDestination(), System.nanoTime());
                calls.put(call);
            }
            call.mediaElsewhere = !anchorMedia;
            callerTag = call.callerTag;
            fromCaller = true;
        } else if (call != null) {
            callerTag = call.callerTag;
            fromCaller = call.isFromCaller(req.fromTag());
            call.seenCseq(fromCaller, req.cseqNumber());
        } else {
            callerTag = req.fromTag();
            fromCaller = true;
        }
        SipDestination dest = preferCallerConnection(call, fromCaller, target);
        fwd.decrementMaxForwards();
        if (initialInvite) {
            SipTransportKind in = st.source().transport();
            if (in != dest.transport()) {
                fwd.addRecordRoute(recordRoute(in, null));
            }
            fwd.addRecordRoute(recordRoute(dest.transport(), dest.address()));
            call.calleeHop = dest;
        }
        String branch = BRANCH_PREFIX + loopHash + '.' + Long.toHexString(++counter);
        InetSocketAddress adv = transport.advertised(dest.transport(), dest.address());
        fwd.pushVia(Via.format(dest.transport().viaToken(), Hosts.ip(adv.getAddress()), adv.getPort(),
            branch, true));
        ForwardContext ctx = new ForwardContext(st, call, callerTag, fromCaller, initialInvite);
        st.context(ctx);
        CallRecord c = call;
        // Late offer: the relay session appears with the final response's SDP; count the call until then.
        boolean offerHere = hasSdp(fwd);
        withMedia(fwd, callId, callerTag, fromCaller,
            () -> {
                if (offerHere) {
                    closeTicket(ticket);
                } else {
                    ctx.lateOfferTicket = ticket;
                }
                if (ctx.cancelled) {
                    endCall(c, initialInvite, "cancelled");
                    respond(st, 487, "Request Terminated");
                    return;
                }
                ctx.client = layer.sendRequest(fwd, branch, dest, ctx);
            },
            (code, reason) -> {
                closeTicket(ticket);
                endCall(c, initialInvite, "media refused: " + code);
                respond(st, code, reason);
            });
    }

    /**
     * A request from the callee towards a caller who reached us over TCP goes back over the caller's
     * connection when the target is the caller's host (its Contact port is often not the connection's).
     */
    private static SipDestination preferCallerConnection(CallRecord call, boolean fromCaller, SipDestination dest) {
        if (call == null || fromCaller || call.callerHop == null || call.callerHop.channel() == null
                || call.callerHop.transport() != SipTransportKind.TCP || dest.transport() != SipTransportKind.TCP
                || !call.callerHop.channel().isActive()
                || !call.callerHop.address().getAddress().equals(dest.address().getAddress())) {
            return dest;
        }
        return call.callerHop;
    }

    /**
     * Dialog timeout: a call still early long after Timer C (its INVITE transaction is long gone)
     * is released and forgotten. Runs on the loop.
     */
    public void sweepStaleCalls(long nowNs, long earlyLimitNs) {
        for (CallRecord c : calls.all()) {
            if (c.state == CallRecord.State.EARLY && nowNs - c.createdNs - earlyLimitNs > 0) {
                endCall(c, true, "dialog timeout");
            }
        }
    }

    private String recordRoute(SipTransportKind kind, InetSocketAddress towards) {
        InetSocketAddress adv = transport.advertised(kind, towards);
        String host = Hosts.ip(adv.getAddress());
        if (host.indexOf(':') >= 0) {
            host = '[' + host + ']';
        }
        return "<sip:" + host + ':' + adv.getPort() + (kind == SipTransportKind.TCP ? ";transport=tcp" : "") + ";lr>";
    }

    private static String contactUri(SipMessage m) {
        try {
            List<NameAddr> contacts = m.contacts();
            return contacts.isEmpty() || contacts.get(0).isWildcard() ? null : contacts.get(0).uri().toString();
        } catch (SipParseException e) {
            return null;
        }
    }

    /** Index of the first Route value that is not this node, or -1. */
    private int firstForeignRoute(List<NameAddr> routeSet) {
        for (int i = 0; i < routeSet.size(); i++) {
            if (!identity.isOwnUri(routeSet.get(i).uri())) {
                return i;
            }
        }
        return -1;
    }

    /** RFC 3261 16.4: the top Route values naming this node are removed (two after a transport change). */
    private void removeOwnRoutes(SipMessage m) {
        List<NameAddr> set = m.routes();
        for (NameAddr r : set) {
            if (!identity.isOwnUri(r.uri())) {
                return;
            }
            m.removeTopRoute();
        }
    }

    /** RFC 3261 16.3 step 4 and 16.6 step 8: a hash of what identifies the request as received. */
    static String loopHash(SipRequest req) {
        long h = 0xcbf29ce484222325L;
        h = fnv(h, req.requestUriString());
        h = fnv(h, req.fromTag());
        h = fnv(h, req.toTag());
        h = fnv(h, req.callId());
        h = fnv(h, Long.toString(req.cseqNumber()));
        h = fnv(h, req.method());
        return Long.toHexString(h);
    }

    private static long fnv(long h, String s) {
        if (s != null) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            for (byte x : b) {
                h ^= x & 0xff;
                h *= 0x100000001b3L;
            }
        }
        h ^= 0x1f;
        h *= 0x100000001b3L;
        return h;
    }

    /** RFC 3261 16.3 step 4: one of our Vias whose branch carries the same hash means a loop, not a spiral. */
    private boolean isLoop(SipRequest req, String loopHash) {
        for (Via v : req.vias()) {
            String b = v.branch();
            if (b != null && b.startsWith(BRANCH_PREFIX) && identity.isOwnVia(v)) {
                int dot = b.indexOf('.', BRANCH_PREFIX.length());
                if (dot > 0 && b.regionMatches(BRANCH_PREFIX.length(), loopHash, 0, loopHash.length())
                        && dot - BRANCH_PREFIX.length() == loopHash.length()) {
                    return true;
                }
            }
        }
        return false;
    }

    @Override
    public void onCancel(ServerTransaction cancel, ServerTransaction invite) {
        metrics.requestReceived(SipMethods.CANCEL);
        try {
            if (invite == null) {
                respond(cancel, 481, "Call/Transaction Does Not Exist");
                return;
            }
            respond(cancel, 200, "OK");
            if (invite.context() instanceof ForwardContext ctx) {
                ctx.cancel();
            } else if (!invite.isFinal()) {
                respond(invite, 487, "Request Terminated");
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "failed to process CANCEL " + cancel.request().callId(), e);
        }
    }

    @Override
    public void onAck(SipRequest ack, SipSource source) {
        metrics.requestReceived(SipMethods.ACK);
        try {
            if (ack.maxForwards() == 0) {
                return;
            }
            String loopHash = loopHash(ack);
            if (isLoop(ack, loopHash)) {
                return;
            }
            removeOwnRoutes(ack);
            List<NameAddr> remaining = ack.routes();
            SipUri target = remaining.isEmpty() ? ack.requestUri() : remaining.get(0).uri();
            if (identity.isOwnUri(target)) {
                return;
            }
            SipDestination dest = NextHop.literal(target);
            if (dest == null) {
                return;
            }
            ack.decrementMaxForwards();
            String branch = BRANCH_PREFIX + loopHash + '.' + Long.toHexString(++counter);
            InetSocketAddress adv = transport.advertised(dest.transport(), dest.address());
            ack.pushVia(Via.format(dest.transport().viaToken(), Hosts.ip(adv.getAddress()),
                adv.getPort(), branch, true));
            CallRecord call = calls.get(ack.callId());
            String callerTag = call != null ? call.callerTag : ack.fromTag();
            boolean fromCaller = call == null || call.isFromCaller(ack.fromTag());
            withMedia(ack, ack.callId(), callerTag, fromCaller,
                () -> layer.sendStateless(ack.toBytes(), dest), (code, reason) -> { });
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "dropped an ACK that could not be routed", e);
        }
    }

    // ------------------------------------------------------------------ responses

    @Override
    public void onStrayResponse(SipResponse response, SipSource source) {
        metrics.responseReceived(response.statusCode());
        try {
            Via top = response.topVia();
            if (top == null || top.branch() == null || !top.branch().startsWith(BRANCH_PREFIX) || !identity.isOwnVia(top)) {
                return;
            }
            response.popVia();
            Via next = response.topVia();
            if (next == null) {
                return;
            }
            InetSocketAddress address = ViaStamp.responseAddress(next);
            if (address == null) {
                return;
            }
            SipTransportKind kind = next.transport().equals("TCP") ? SipTransportKind.TCP : SipTransportKind.UDP;
            SipDestination dest = SipDestination.of(kind, address);
            CallRecord call = calls.get(response.callId());
            String callerTag = call != null ? call.callerTag : response.fromTag();
            boolean fromCaller = call != null && !call.isFromCaller(response.fromTag());
            withMedia(response, response.callId(), callerTag, fromCaller, () -> {
                layer.sendStateless(response.toBytes(), dest);
                metrics.responseSent(response.statusCode());
            }, (code, reason) -> { });
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "dropped a stray response", e);
        }
    }

    @Override
    public void onParseError(SipParseException error, SipSource source) {
        try {
            SipResponseBuilder b = SipResponseBuilder.forParseError(error);
            if (b == null || error.request().isMethod(SipMethods.ACK)) {
                metrics.parseErrorDropped();
                return;
            }
            InetSocketAddress address = null;
            if (source.transport() == SipTransportKind.UDP) {
                try {
                    address = ViaStamp.responseAddress(error.request().topVia());
                } catch (RuntimeException e) {
                    address = null;
                }
            }
            SipDestination dest = source.transport() == SipTransportKind.TCP
                ? new SipDestination(SipTransportKind.TCP, source.peer(), source.channel())
                : new SipDestination(SipTransportKind.UDP, address != null ? address : source.remote(), source.channel());
            layer.sendStateless(b.toTag(localTag()).toBytes(), dest);
            metrics.parseErrorAnswered();
            metrics.responseSent(error.statusCode());
        } catch (RuntimeException e) {
            metrics.parseErrorDropped();
            LOG.log(Level.FINE, "could not answer a malformed request", e);
        }
    }

    @Override
    public void onAckTimeout(ServerTransaction transaction) {
        // the caller never acknowledged our final error: the call was already ended by that response
    }

    // ------------------------------------------------------------------ media

    /** Runs {@code then} after the SDP of {@code m} (if any) went through the media hook. */
    private void withMedia(SipMessage m, String callId, String callerTag, boolean fromCaller, Runnable then,
                           BiConsumer<Integer, String> onError) {
        CallRecord record = calls.get(callId);
        if (!hasSdp(m) || record != null && record.mediaElsewhere) {
            then.run();
            return;
        }
        CompletableFuture<byte[]> f;
        try {
            f = media.rewrite(callId, callerTag, m, fromCaller);
        } catch (RuntimeException e) {
            failMedia(e, onError);
            return;
        }
        if (f.isDone() && !f.isCompletedExceptionally()) {
            m.setBody(m.contentType(), f.join());
            then.run();
            return;
        }
        f.whenCompleteAsync((body, err) -> {
            if (err != null) {
                failMedia(err, onError);
                return;
            }
            try {
                m.setBody(m.contentType(), body);
                then.run();
            } catch (RuntimeException e) {
                failMedia(e, onError);
            }
        }, loop);
    }

    private static void failMedia(Throwable err, BiConsumer<Integer, String> onError) {
        Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
        if (cause instanceof MediaHookException mhe) {
            onError.accept(mhe.statusCode(), mhe.getMessage() == null ? "Media Error" : mhe.getMessage());
        } else {
            LOG.log(Level.WARNING, "media hook failed", cause);
            onError.accept(500, "Server Internal Error (media)");
        }
    }

    private static boolean hasSdp(SipMessage m) {
        String ct = m.contentType();
        return m.bodyLength() > 0 && ct != null && ct.trim().toLowerCase(Locale.ROOT).startsWith("application/sdp");
    }

    /** Releases the relay for a call once, and forgets it. */
    private void endCall(CallRecord call, boolean release, String reason) {
        if (call == null || !release || call.state == CallRecord.State.ENDED) {
            return;
        }
        call.state = CallRecord.State.ENDED;
        calls.remove(call);
        try {
            media.release(call.callId, call.callerTag, reason);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "media release failed for " + call.callId, e);
        }
    }

    /** The relay ended a call on its own: BYE to both parties, release, forget. */
    void onMediaEnded(String callId, String callerTag) {
        CallRecord call = calls.get(callId);
        if (call == null || (callerTag != null && !callerTag.equals(call.callerTag))) {
            return;
        }
        try {
            if (call.state == CallRecord.State.CONFIRMED) {
                sendBye(call, true);
                sendBye(call, false);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "could not send BYE for " + callId, e);
        }
        endCall(call, true, "media ended");
    }

    private void sendBye(CallRecord call, boolean towardsCallee) {
        String ruri = towardsCallee ? call.calleeContact : call.callerContact;
        SipDestination dest = towardsCallee ? call.calleeHop : call.callerHop;
        if (ruri == null || dest == null) {
            return;
        }
        int own = -1;
        List<String> rr = call.recordRoute;
        for (int i = 0; i < rr.size(); i++) {
            try {
                if (identity.isOwnUri(NameAddr.parse(rr.get(i)).uri())) {
                    own = i;
                }
            } catch (SipParseException e) {
                // a value we cannot read: not ours
            }
        }
        List<String> routeSet = new ArrayList<>();
        if (own >= 0) {
            if (towardsCallee) {
                int firstOwn = own;
                while (firstOwn > 0 && isOwnRoute(rr.get(firstOwn - 1))) {
                    firstOwn--;
                }
                routeSet.addAll(rr.subList(0, firstOwn));
                Collections.reverse(routeSet);
            } else {
                routeSet.addAll(rr.subList(own + 1, rr.size()));
            }
        }
        long cseq = towardsCallee ? ++call.callerCseq : ++call.calleeCseq;
        String branch = BRANCH_PREFIX + "bye." + Long.toHexString(++counter);
        InetSocketAddress adv = transport.advertised(dest.transport(), dest.address());
        SipRequestBuilder b = new SipRequestBuilder(SipMethods.BYE, ruri)
            .via(Via.format(dest.transport().viaToken(), Hosts.ip(adv.getAddress()), adv.getPort(),
                branch, true))
            .from(towardsCallee ? call.callerFrom : call.calleeTo)
            .to(towardsCallee ? call.calleeTo : call.callerFrom)
            .callId(call.callId)
            .cseq(cseq)
            .header("Reason", "SIP;cause=200;text=\"media ended\"");
        for (String r : routeSet) {
            b.header("Route", r);
        }
        layer.sendRequest(b.build(), branch, dest, IGNORE);
    }

    private boolean isOwnRoute(String value) {
        try {
            return identity.isOwnUri(NameAddr.parse(value).uri());
        } catch (SipParseException e) {
            return false;
        }
    }

    private static final ClientTransactionListener IGNORE = new ClientTransactionListener() {
        @Override
        public void onResponse(ClientTransaction transaction, SipResponse response) {
        }

        @Override
        public void onTimeout(ClientTransaction transaction) {
        }

        @Override
        public void onTransportError(ClientTransaction transaction, Throwable cause) {
        }
    };

    // ------------------------------------------------------------------ local responses

    private String localTag() {
        return localTagBase + Long.toHexString(++counter);
    }

    private void respondOptions(ServerTransaction st) {
        respond(st, SipResponseBuilder.forRequest(st.request(), 200, "OK").toTag(localTag())
            .header("Allow", ALLOW)
            .header("Accept", "application/sdp")
            .header("Supported", "")
            .header("Server", "spillway"), 200);
    }

    private void respondRejected(ServerTransaction st, int code, String reason) {
        metrics.requestRejected();
        respond(st, code, reason);
    }

    private void respond(ServerTransaction st, int code, String reason) {
        SipResponseBuilder b = SipResponseBuilder.forRequest(st.request(), code, reason);
        if (code > 100) {
            b.toTag(localTag());
        }
        respond(st, b, code);
    }

    private void respond(ServerTransaction st, SipResponseBuilder b, int code) {
        if (st.isFinal()) {
            return;
        }
        st.respond(code, b.toBytes());
        metrics.responseSent(code);
    }

    // ------------------------------------------------------------------ per forwarded request

    /** The state of one forwarded request: its two transactions, CANCEL, Timer C. */
    private final class ForwardContext implements ClientTransactionListener {
        final ServerTransaction server;
        final CallRecord call;
        final String callerTag;
        final boolean fromCaller;
        final boolean initialInvite;
        ClientTransaction client;
        boolean cancelled;
        boolean cancelSent;
        TimerService.Timer timerC;
        /** An admitted overflow call without an offer in its INVITE: closed with the final response. */
        AdmissionTicket lateOfferTicket;

        ForwardContext(ServerTransaction server, CallRecord call, String callerTag, boolean fromCaller,
                       boolean initialInvite) {
            this.server = server;
            this.call = call;
            this.callerTag = callerTag;
            this.fromCaller = fromCaller;
            this.initialInvite = initialInvite;
        }

        void cancel() {
            if (cancelled || server.isFinal()) {
                return;
            }
            cancelled = true;
            if (client != null && client.isProceeding()) {
                sendCancel();
            }
            // no provisional yet: the CANCEL goes out when one arrives (RFC 3261 9.1); without one,
            // Timer B ends the INVITE and the caller gets 487
        }

        private void sendCancel() {
            if (cancelSent || client == null) {
                return;
            }
            cancelSent = true;
            layer.sendRequest(client.buildCancel(), client.branch(), client.destination(), IGNORE);
        }

        @Override
        public void onResponse(ClientTransaction ct, SipResponse response) {
            int code = response.statusCode();
            metrics.responseReceived(code);
            try {
                if (code == 100) {
                    return;
                }
                if (server.isInvite() && code < 200) {
                    if (cancelled) {
                        sendCancel();
                    }
                    armTimerC();
                } else if (timerC != null) {
                    timerC.cancel();
                }
                response.popVia();
                boolean success = code >= 200 && code < 300;
                if (server.isFinal() && !(server.isInvite() && success)) {
                    return;
                }
                if (initialInvite && success && call != null && call.state == CallRecord.State.EARLY) {
                    call.state = CallRecord.State.CONFIRMED;
                    call.calleeTag = response.toTag();
                    call.calleeTo = response.header("To");
                    call.calleeContact = contactUri(response);
                    call.recordRoute = response.headerValues("Record-Route");
                }
                withMedia(response, server.request().callId(), callerTag, !fromCaller,
                    () -> forwardResponse(response, code),
                    (status, reason) -> {
                        closeTicket(lateOfferTicket);
                        endCall(call, true, "media refused: " + status);
                        respond(server, status, reason);
                    });
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "failed to forward a " + code + " for " + server.request().callId(), e);
            }
        }

        private void forwardResponse(SipResponse response, int code) {
            if (code >= 200) {
                closeTicket(lateOfferTicket);
            }
            if (server.isFinal() && code >= 300) {
                return;
            }
            // release first: the relay is free by the time the caller sees the final response
            if (code >= 300) {
                requestFailed();
            }
            if (code >= 300 && initialInvite) {
                endCall(call, true, "call failed: " + code);
            } else if (code >= 200 && server.request().isMethod(SipMethods.BYE)) {
                endCall(call != null ? call : calls.get(server.request().callId()), true, "bye");
            }
            server.respond(code, response.toBytes());
            metrics.responseSent(code);
        }

        /** A failed in-dialog request: an offer it carried is void (the media hook rolls it back). */
        private void requestFailed() {
            if (initialInvite) {
                return;
            }
            SipRequest req = server.request();
            try {
                media.requestFailed(req.callId(), callerTag, fromCaller, req.cseqNumber(), req.method());
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "media rollback failed for " + req.callId(), e);
            }
        }

        private void armTimerC() {
            if (timerC != null) {
                timerC.cancel();
            }
            timerC = timers.schedule(this::onTimerC, timerCMs);
        }

        private void onTimerC() {
            if (server.isFinal() || client == null) {
                return;
            }
            sendCancel();
            endCall(call, initialInvite, "timer C");
            requestFailed();
            respond(server, 408, "Request Timeout");
        }

        @Override
        public void onTimeout(ClientTransaction ct) {
            endCall(call, initialInvite || server.request().isMethod(SipMethods.BYE), "timeout");
            requestFailed();
            if (cancelled) {
                respond(server, 487, "Request Terminated");
            } else {
                respond(server, 408, "Request Timeout");
            }
        }

        @Override
        public void onTransportError(ClientTransaction ct, Throwable cause) {
            endCall(call, initialInvite || server.request().isMethod(SipMethods.BYE), "unreachable");
            requestFailed();
            respond(server, 503, "Service Unavailable");
        }
    }
}
