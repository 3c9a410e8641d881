package io.spillway.node.call;

import io.netty.util.NetUtil;
import io.spillway.media.CloseReason;
import io.spillway.media.IpFamily;
import io.spillway.media.Leg;
import io.spillway.media.LegSpec;
import io.spillway.media.MediaType;
import io.spillway.media.RelayEngine;
import io.spillway.media.SessionListener;
import io.spillway.media.SessionPorts;
import io.spillway.media.SessionSpec;
import io.spillway.media.SessionStats;
import io.spillway.media.StreamSpec;
import io.spillway.media.port.PortRangeExhaustedException;
import io.spillway.sip.SipMessage;
import io.spillway.sip.SipMethods;
import io.spillway.sip.SipParseException;
import io.spillway.sip.SipRequest;
import io.spillway.sip.SipResponse;
import io.spillway.sip.sdp.SdpConnection;
import io.spillway.sip.sdp.SdpMedia;
import io.spillway.sip.sdp.SdpSession;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Media anchoring over the {@link RelayEngine}: every SDP the proxy forwards gets relay ports.
 *
 * <p>An offer (INVITE, re-INVITE, UPDATE, or a 2xx/1xx answering an INVITE without SDP) allocates
 * engine streams for its enabled m= lines that have none yet, primes the offerer's leg with the
 * addresses it offered and is rewritten to the relay ports of the other leg. The answer (the
 * response of the offer's transaction, or ACK/PRACK) primes the answerer's leg, settles rtcp-mux and
 * is rewritten to the offerer's leg. Leg A faces the caller, leg B the callee. An offer whose
 * request fails ({@link #requestFailed}) is rolled back to the last agreed remotes. The o= version
 * of what is forwarded from each party goes up whenever the forwarded SDP changes
 * ({@link OriginVersions}).
 *
 * <p>State is one {@link AnchoredCall} per {@link CallKey} in a {@link ConcurrentHashMap}; the
 * operations of one call run one after another (chained futures), never under a lock while the
 * engine works. Everything here runs at signalling rate; packets never come near it.
 */
public final class RelayMediaHook implements MediaHook {
    private static final Logger LOG = Logger.getLogger(RelayMediaHook.class.getName());
    private static final String SDP = "application/sdp";

    private final RelayEngine engine;
    private final String advertisedAddress;
    private final IpFamily family;
    private final LongSupplier nowMs;
    private final Executor listenerExecutor;
    private final ConcurrentHashMap<CallKey, AnchoredCall> calls = new ConcurrentHashMap<>();
    private final Map<Long, AnchoredCall> callsBySession = new ConcurrentHashMap<>();
    private final List<BiConsumer<String, String>> mediaEndedListeners = new CopyOnWriteArrayList<>();
    private final AtomicLong sessionIds = new AtomicLong();
    private final AtomicLong sessionsCreated = new AtomicLong();
    private final AtomicLong sessionsReleased = new AtomicLong();
    private final AtomicLong sessionsTimedOut = new AtomicLong();
    private final AtomicLong rewriteFailures = new AtomicLong();

    /**
     * @param engine a started relay engine
     * @param advertisedAddress the address written into c= lines
     * @param family the family relay ports are bound in
     * @param nowMs wall clock for call ages in the view
     * @param listenerExecutor runs the {@link #onMediaEnded} listeners (never the relay loop)
     */
    public RelayMediaHook(RelayEngine engine, String advertisedAddress, IpFamily family, LongSupplier nowMs,
                          Executor listenerExecutor) {
        this.engine = engine;
        this.advertisedAddress = advertisedAddress;
        this.family = family;
        this.nowMs = nowMs;
        this.listenerExecutor = listenerExecutor;
    }

    @Override
    public CompletableFuture<byte[]> rewrite(String callId, String callerTag, SipMessage message, boolean fromCaller) {
        CallKey key;
        SdpSession sdp;
        try {
            key = new CallKey(callId, callerTag);
            sdp = SdpSession.parse(message.body());
        } catch (SipParseException | IllegalArgumentException e) {
            return fail(488, "Not Acceptable Here (" + e.getMessage() + ")");
        }
        AnchoredCall call = calls.get(key);
        if (call == null) {
            AnchoredCall created = new AnchoredCall(key, sessionIds.incrementAndGet(), nowMs.getAsLong());
            call = calls.putIfAbsent(key, created);
            if (call == null) {
                call = created;
                callsBySession.put(created.sessionId, created);
            }
        }
        AnchoredCall target = call;
        CompletableFuture<byte[]> result;
        synchronized (target) {
            result = target.tail.handle((v, t) -> null).thenCompose(v -> {
                if (target.released) {
                    return CompletableFuture.<byte[]>failedFuture(
                        new MediaHookException(481, "Call/Transaction Does Not Exist (media released)"));
                }
                return isAnswer(target, message, fromCaller) ? answer(target, sdp, fromCaller)
                    : offer(target, sdp, message, fromCaller);
            });
            target.tail = result;
        }
        return result.handle((body, t) -> {
            if (t == null) {
                return CompletableFuture.completedFuture(body);
            }
            rewriteFailures.incrementAndGet();
            Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
            if (!target.sessionCreated) {
                forget(target);
            }
            return CompletableFuture.<byte[]>failedFuture(toHookException(cause));
        }).thenCompose(f -> f);
    }

    /** RFC 3264 roles: a response in the offer's transaction, or ACK/PRACK after an offer, answers. */
    private static boolean isAnswer(AnchoredCall call, SipMessage message, boolean fromCaller) {
        if (call.offerFromCaller == fromCaller || call.offerCseq < 0) {
            return false;
        }
        if (message instanceof SipResponse) {
            return message.cseqNumber() == call.offerCseq && call.offerMethod.equals(message.cseqMethod());
        }
        SipRequest request = (SipRequest) message;
        return (request.isMethod(SipMethods.ACK) || request.isMethod(SipMethods.PRACK)) && call.offerPending;
    }

    private CompletableFuture<byte[]> offer(AnchoredCall call, SdpSession sdp, SipMessage message, boolean fromCaller) {
        Leg leg = fromCaller ? Leg.A : Leg.B;
        List<SdpMedia> media = sdp.media();
        call.ensureLines(media.size());
        List<StreamSpec> specs = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        for (int i = 0; i < media.size(); i++) {
            SdpMedia m = media.get(i);
            if (!m.isDisabled() && call.slots[i] < 0) {
                specs.add(new StreamSpec(typeOf(m), clockRateOf(m), LegSpec.of(family), LegSpec.of(family)));
                lines.add(i);
            }
        }
        CompletableFuture<SessionPorts> ports;
        if (specs.isEmpty()) {
            ports = CompletableFuture.completedFuture(call.ports);
        } else if (!call.sessionCreated) {
            ports = engine.createSession(new SessionSpec(call.key.sessionKey(), call.sessionId, specs),
                listenerFor(call));
        } else {
            ports = engine.addStreams(call.sessionId, specs);
        }
        int firstNew = call.engineStreams();
        boolean created = !specs.isEmpty() && !call.sessionCreated;
        return ports.thenCompose(p -> {
            if (created) {
                call.sessionCreated = true;
                sessionsCreated.incrementAndGet();
            }
            call.ports = p;
            for (int k = 0; k < lines.size(); k++) {
                call.slots[lines.get(k)] = firstNew + k;
            }
            boolean[] mux = new boolean[media.size()];
            List<CompletableFuture<?>> primes = new ArrayList<>();
            for (int i = 0; i < media.size(); i++) {
                SdpMedia m = media.get(i);
                mux[i] = !m.isDisabled() && m.rtcpMux();
                if (!m.isDisabled()) {
                    primes.add(prime(call, i, m, leg));
                }
            }
            call.offeredMux = mux;
            call.offerFromCaller = fromCaller;
            call.offerCseq = message.cseqNumber();
            call.offerMethod = message.cseqMethod();
            call.offerPending = true;
            SdpAnchorRewriter.rewrite(sdp, advertisedAddress, call.slots, mux, p, leg.other(), true);
            byte[] body = call.versions[fromCaller ? 0 : 1].stamp(sdp);
            return CompletableFuture.allOf(primes.toArray(new CompletableFuture<?>[0])).thenApply(v -> body);
        });
    }

    private CompletableFuture<byte[]> answer(AnchoredCall call, SdpSession sdp, boolean fromCaller) {
        Leg answerer = fromCaller ? Leg.A : Leg.B;
        Leg offerer = answerer.other();
        List<SdpMedia> media = sdp.media();
        if (media.size() > call.slots.length) {
            throw new MediaHookException(488, "Not Acceptable Here (answer has more m= lines than the offer)");
        }
        List<CompletableFuture<?>> steps = new ArrayList<>();
        boolean[] mux = new boolean[media.size()];
        for (int i = 0; i < media.size(); i++) {
            SdpMedia m = media.get(i);
            int slot = call.slots[i];
            if (m.isDisabled() || slot < 0) {
                continue;
            }
            boolean offeredMux = i < call.offeredMux.length && call.offeredMux[i];
            mux[i] = offeredMux;
            steps.add(prime(call, i, m, answerer));
            steps.add(engine.setRtcpMux(call.sessionId, slot, answerer, offeredMux && m.rtcpMux())
                .thenAccept(p -> call.ports = p));
            steps.add(engine.setRtcpMux(call.sessionId, slot, offerer, offeredMux)
                .thenAccept(p -> call.ports = p));
        }
        call.offerPending = false;
        call.commit();
        return CompletableFuture.allOf(steps.toArray(new CompletableFuture<?>[0])).thenApply(v -> {
            SdpAnchorRewriter.rewrite(sdp, advertisedAddress, call.slots, mux, call.ports, offerer, false);
            return call.versions[fromCaller ? 0 : 1].stamp(sdp);
        });
    }

    /** Primes {@code leg} of line {@code line} with the SDP's RTP and RTCP addresses. */
    private CompletableFuture<?> prime(AnchoredCall call, int line, SdpMedia m, Leg leg) {
        SdpConnection c = m.effectiveConnection();
        if (c == null) {
            throw new MediaHookException(488, "Not Acceptable Here (m= line " + (line + 1) + " has no c=)");
        }
        InetAddress address = literal(c.address());
        if (address == null || address.isAnyLocalAddress()) {
            // c=0.0.0.0 (RFC 2543 hold) or a host name: nothing to send to; keep what was primed.
            return CompletableFuture.completedFuture(null);
        }
        InetSocketAddress rtp = new InetSocketAddress(address, m.port());
        InetSocketAddress rtcp;
        if (m.rtcpMux()) {
            rtcp = rtp;
        } else if (m.rtcpPort() > 0) {
            InetAddress rtcpAddress = m.rtcpAddress() != null ? literal(m.rtcpAddress()) : null;
            rtcp = new InetSocketAddress(rtcpAddress != null ? rtcpAddress : address, m.rtcpPort());
        } else {
            rtcp = null;
        }
        call.remote(line, leg, new AnchoredCall.Remote(rtp, rtcp));
        return engine.primeRemote(call.sessionId, call.slots[line], leg, rtp, rtcp);
    }

    /**
     * The offer of the failed request, if it is the one still awaiting its answer, is void: every
     * leg whose remotes it changed is primed back to those of the last completed offer/answer.
     */
    @Override
    public void requestFailed(String callId, String callerTag, boolean fromCaller, long cseq, String method) {
        AnchoredCall call;
        try {
            call = calls.get(new CallKey(callId, callerTag));
        } catch (IllegalArgumentException e) {
            return;
        }
        if (call == null) {
            return;
        }
        synchronized (call) {
            call.tail = call.tail.handle((v, t) -> null).thenCompose(v -> {
                if (call.released || !call.offerPending || call.offerFromCaller != fromCaller
                        || call.offerCseq != cseq || !call.offerMethod.equals(method)) {
                    return CompletableFuture.completedFuture(null);
                }
                return rollBack(call).handle((r, t) -> {
                    if (t != null) {
                        LOG.log(Level.FINE, "rollback of " + call.key.sessionKey() + " after a failed "
                            + method + ": " + t);
                    }
                    return null;
                });
            });
        }
    }

    private CompletableFuture<Void> rollBack(AnchoredCall call) {
        call.offerPending = false;
        call.offerCseq = -1;
        AnchoredCall.Remote[][] agreed = call.agreed;
        AnchoredCall.Remote[][] now = call.remotes;
        List<CompletableFuture<?>> primes = new ArrayList<>();
        for (int line = 0; line < agreed.length && line < now.length; line++) {
            for (Leg leg : Leg.values()) {
                AnchoredCall.Remote before = agreed[line][leg.ordinal()];
                // A line the failed offer primed first has nothing to go back to; nothing is sent there
                // by the other side either, as it never saw an answer naming it.
                if (before != null && !before.equals(now[line][leg.ordinal()]) && call.slots[line] >= 0) {
                    call.remote(line, leg, before);
                    primes.add(engine.primeRemote(call.sessionId, call.slots[line], leg, before.rtp(), before.rtcp()));
                }
            }
        }
        return CompletableFuture.allOf(primes.toArray(new CompletableFuture<?>[0]));
    }

    @Override
    public void release(String callId, String callerTag, String reason) {
        AnchoredCall call;
        try {
            call = calls.get(new CallKey(callId, callerTag));
        } catch (IllegalArgumentException e) {
            return;
        }
        if (call == null || !forget(call)) {
            return;
        }
        synchronized (call) {
            call.tail = call.tail.handle((v, t) -> null).thenCompose(v -> {
                if (!call.sessionCreated) {
                    return CompletableFuture.completedFuture(null);
                }
                sessionsReleased.incrementAndGet();
                return engine.deleteSession(call.sessionId).handle((stats, t) -> {
                    if (t != null) {
                        LOG.log(Level.FINE, "release of " + call.key.sessionKey() + " (" + reason + "): " + t);
                    }
                    return null;
                });
            });
        }
    }

    @Override
    public void onMediaEnded(BiConsumer<String, String> listener) {
        mediaEndedListeners.add(listener);
    }

    /** Removes the call from the maps; true for the caller that removed it. */
    private boolean forget(AnchoredCall call) {
        if (!calls.remove(call.key, call)) {
            return false;
        }
        callsBySession.remove(call.sessionId, call);
        call.released = true;
        return true;
    }

    private SessionListener listenerFor(AnchoredCall call) {
        return (SessionStats finalStats, CloseReason reason) -> {
            if (!forget(call) || reason == CloseReason.ENGINE_STOPPED) {
                return;
            }
            sessionsTimedOut.incrementAndGet();
            sessionsReleased.incrementAndGet();
            listenerExecutor.execute(() -> {
                LOG.info(() -> "media ended for call " + call.key.sessionKey() + ": " + reason);
                for (BiConsumer<String, String> l : mediaEndedListeners) {
                    try {
                        l.accept(call.key.callId(), call.key.callerTag());
                    } catch (RuntimeException e) {
                        LOG.log(Level.WARNING, "media-ended listener failed for " + call.key.sessionKey(), e);
                    }
                }
            });
        };
    }

    private static MediaType typeOf(SdpMedia m) {
        switch (m.type()) {
            case "audio":
                return MediaType.AUDIO;
            case "video":
                return MediaType.VIDEO;
            default:
                return MediaType.OTHER;
        }
    }

    /** The clock rate of the first format's a=rtpmap, 0 (the type's default) when unknown. */
    private static int clockRateOf(SdpMedia m) {
        List<String> formats = m.formats();
        if (formats.isEmpty()) {
            return 0;
        }
        try {
            String rtpmap = m.rtpmaps().get(Integer.parseInt(formats.get(0)));
            if (rtpmap != null) {
                String[] f = rtpmap.split("/");
                if (f.length >= 2) {
                    int rate = Integer.parseInt(f[1].trim());
                    return rate > 0 ? rate : 0;
                }
            }
        } catch (NumberFormatException | SipParseException e) {
            return 0;
        }
        return 0;
    }

    private static InetAddress literal(String text) {
        String t = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        return NetUtil.createInetAddressFromIpAddressString(t);
    }

    private static MediaHookException toHookException(Throwable cause) {
        if (cause instanceof MediaHookException e) {
            return e;
        }
        if (cause instanceof PortRangeExhaustedException) {
            return new MediaHookException(503, "Service Unavailable (no free relay ports)");
        }
        if (cause instanceof SipParseException || cause instanceof IllegalArgumentException) {
            return new MediaHookException(488, "Not Acceptable Here (" + cause.getMessage() + ")");
        }
        if (cause instanceof IllegalStateException) {
            return new MediaHookException(503, "Service Unavailable (media relay not running)");
        }
        LOG.log(Level.WARNING, "media anchoring failed", cause);
        return new MediaHookException(500, "Server Internal Error (media anchoring)");
    }

    private CompletableFuture<byte[]> fail(int status, String reason) {
        rewriteFailures.incrementAndGet();
        return CompletableFuture.failedFuture(new MediaHookException(status, reason.replace('\r', ' ').replace('\n', ' ')));
    }

    // ------------------------------------------------------------------ views and counters

    /** Calls with media anchored now (drain waits for this to reach 0). */
    public int activeCalls() {
        return calls.size();
    }

    /** Relay sessions created since start. */
    public long sessionsCreated() {
        return sessionsCreated.get();
    }

    /** Relay sessions released since start (by the proxy or by the relay's timeouts). */
    public long sessionsReleased() {
        return sessionsReleased.get();
    }

    /** Sessions the relay ended by itself (media timeout, maximum duration). */
    public long sessionsTimedOut() {
        return sessionsTimedOut.get();
    }

    /** SDP bodies that could not be anchored (bad SDP, no ports, relay down). */
    public long rewriteFailures() {
        return rewriteFailures.get();
    }

    /** The relay session id of a call, or -1 (tests and diagnostics). */
    public long sessionId(String callId, String callerTag) {
        AnchoredCall call = calls.get(new CallKey(callId, callerTag));
        return call == null || !call.sessionCreated ? -1 : call.sessionId;
    }

    /** The {@code /calls} view: one entry per anchored call, read from the relay's counters. */
    public List<CallView> callsView() {
        Collection<AnchoredCall> live = calls.values();
        List<CallView> out = new ArrayList<>(live.size());
        long now = nowMs.getAsLong();
        for (AnchoredCall call : live) {
            out.add(CallView.of(call, call.sessionCreated ? engine.sessionStats(call.sessionId) : null, now));
        }
        return out;
    }

    /** The media of one call as in {@link #callsView()}, or null (for the proxy to embed in its view). */
    @Override
    public CallView callView(String callId, String callerTag) {
        AnchoredCall call;
        try {
            call = calls.get(new CallKey(callId, callerTag));
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (call == null) {
            return null;
        }
        return CallView.of(call, call.sessionCreated ? engine.sessionStats(call.sessionId) : null, nowMs.getAsLong());
    }

    /** The engine this hook anchors on. */
    public RelayEngine engine() {
        return engine;
    }
}
