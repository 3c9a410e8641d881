package io.spillway.node.ng;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Executes ng commands against the relay and builds their replies: {@code ping}, {@code offer},
 * {@code answer}, {@code delete}, {@code query}, {@code list}, {@code statistics}. Never throws:
 * every failure becomes {@code {result: error, error-reason: ...}}. Must be called from one thread
 * (the ng channel's event loop), which owns the call table.
 */
public final class NgCommandDispatcher {
    private static final Logger LOG = Logger.getLogger(NgCommandDispatcher.class.getName());
    private static final int DEFAULT_LIST_LIMIT = 32;

    private final NgServerConfig config;
    private final NgMediaBackend backend;
    private final BooleanSupplier overThreshold;
    private final LongSupplier epochMs;
    private final NgStats stats;
    private final NgCallTable calls;
    private long callsCreated;
    private long callsDeleted;
    private long callsTimedOut;

    /**
     * @param overThreshold true while the node is over its load threshold; offers for new calls that
     *     declare {@code supports: ["load limit"]} are then answered {@code result: "load limit"}
     * @param epochMs wall clock for the {@code created}/{@code last signal} times in {@code query}
     */
    public NgCommandDispatcher(NgServerConfig config, NgMediaBackend backend, BooleanSupplier overThreshold,
                               LongSupplier epochMs, NgStats stats) {
        this.config = config;
        this.backend = backend;
        this.overThreshold = overThreshold;
        this.epochMs = epochMs;
        this.stats = stats;
        this.calls = new NgCallTable(config.maxCalls());
    }

    /** Calls currently held; safe from any thread. */
    public int calls() {
        return calls.size();
    }

    /** Executes {@code request} and returns the reply dictionary. */
    public BencodeValue.Dict dispatch(BencodeValue.Dict request) {
        String command = request.text("command");
        if (command == null) {
            stats.countCommand("unknown", "error");
            return NgDictBuilder.error("missing 'command'");
        }
        String name = command.toLowerCase(Locale.ROOT);
        BencodeValue.Dict reply;
        try {
            reply = execute(name, request);
        } catch (NgRequestException e) {
            reply = NgDictBuilder.error(e.getMessage());
        } catch (RuntimeException e) {
            stats.countInternalError();
            LOG.log(Level.WARNING, "ng " + name + " failed", e);
            reply = NgDictBuilder.error("internal error: " + e.getClass().getSimpleName());
        }
        String result = reply.text("result");
        stats.countCommand(isKnown(name) ? name : "unknown", result == null ? "error" : result);
        return reply;
    }

    /**
     * Forgets calls whose every relayed stream the relay has ended by itself (media timeout), so a
     * lost BYE does not leave the call held forever. Returns how many were removed. Runs on the ng
     * thread, from a periodic task.
     */
    public int sweepEndedCalls() {
        int removed = 0;
        for (NgCall call : calls.all()) {
            boolean anyRelayed = false;
            boolean allEnded = true;
            for (NgCallStream s : call.streams) {
                if (s.relay != null) {
                    anyRelayed = true;
                    allEnded &= s.relay.endedByRelay();
                }
            }
            if (anyRelayed && allEnded) {
                calls.remove(call.callId);
                call.close();
                callsDeleted++;
                callsTimedOut++;
                removed++;
            }
        }
        return removed;
    }

    /** Closes every call's relay streams (node shutdown). */
    public void closeAll() {
        for (NgCall call : calls.all()) {
            calls.remove(call.callId);
            call.close();
        }
    }

    private static boolean isKnown(String name) {
        switch (name) {
            case "ping", "offer", "answer", "delete", "query", "list", "statistics":
                return true;
            default:
                return false;
        }
    }

    private BencodeValue.Dict execute(String name, BencodeValue.Dict req) throws NgRequestException {
        switch (name) {
            case "ping":
                return new NgDictBuilder().put("result", "pong").build();
            case "offer":
                return offer(req);
            case "answer":
                return answer(req);
            case "delete":
                return delete(req);
            case "query":
                return query(req);
            case "list":
                return list(req);
            case "statistics":
                return statistics();
            default:
                throw new NgRequestException("Unrecognized command '" + name + "'");
        }
    }

    private BencodeValue.Dict offer(BencodeValue.Dict req) throws NgRequestException {
        String callId = expectText(req, "call-id");
        String fromTag = expectText(req, "from-tag");
        NgSdpEditor sdp = expectSdp(req);
        Set<String> flags = flagSet(req, "flags");
        Set<String> replace = flagSet(req, "replace");
        Set<String> rtcpMux = flagSet(req, "rtcp-mux");
        NgMediaOptions options = options(flags);

        NgCall call = calls.get(callId);
        boolean created = false;
        if (call == null) {
            if (overThreshold.getAsBoolean()) {
                if (flagSet(req, "supports").contains("load limit")) {
                    return new NgDictBuilder().put("result", "load limit")
                        .put("message", "Spillway node over its load threshold").build();
                }
                throw new NgRequestException("Node over its load threshold");
            }
            call = new NgCall(callId, fromTag, epochMs.getAsLong());
            if (!calls.add(call)) {
                throw new NgRequestException("Call table full (" + config.maxCalls() + " calls)");
            }
            created = true;
            callsCreated++;
        }
        NgLeg offerer = call.legOf(fromTag);
        if (offerer == null) {
            throw new NgRequestException("from-tag '" + fromTag + "' is not a party of call '" + callId + "'");
        }
        call.lastSignalEpochMs = epochMs.getAsLong();
        NgLeg answerer = offerer.other();
        List<NgSdpMedia> media = sdp.media();
        int n = media.size();
        int[] rtpPorts = new int[n];
        int[] rtcpPorts = new int[n];
        boolean[] muxOut = new boolean[n];
        try {
            while (call.streams.size() > n) {
                call.streams.remove(call.streams.size() - 1).close();
            }
            for (NgSdpMedia m : media) {
                NgCallStream s = openOrReuse(call, m);
                if (m.disabled()) {
                    continue;
                }
                s.rtcpMux[offerer.ordinal()] = m.rtcpMux() && !rtcpMux.contains("reject");
                s.relay.setRemote(offerer, m.rtp(), s.rtcpMux[offerer.ordinal()] ? m.rtp() : m.rtcp(),
                    s.rtcpMux[offerer.ordinal()], options);
                s.remoteKnown[offerer.ordinal()] = true;
                boolean out = m.rtcpMux();
                if (rtcpMux.contains("offer") || rtcpMux.contains("require")) {
                    out = true;
                } else if (rtcpMux.contains("demux") || rtcpMux.contains("reject")) {
                    out = false;
                }
                muxOut[m.index()] = out;
                rtpPorts[m.index()] = s.relay.localRtpPort(answerer);
                rtcpPorts[m.index()] = s.relay.localRtcpPort(answerer);
            }
        } catch (NgBackendException e) {
            if (created) {
                calls.remove(callId);
                call.close();
                callsDeleted++;
            }
            throw new NgRequestException("Relay refused the stream: " + e.getMessage());
        }
        String rewritten = sdp.rewrite(advertised(call, answerer), rtpPorts, rtcpPorts, muxOut,
            replace.contains("origin"));
        return new NgDictBuilder().put("result", "ok").put("sdp", rewritten).build();
    }

    /** The relay address facing {@code leg}: that of the call's first relayed stream. */
    private static InetAddress advertised(NgCall call, NgLeg leg) {
        for (NgCallStream s : call.streams) {
            if (s.relay != null) {
                return s.relay.advertisedAddress(leg);
            }
        }
        return null;
    }

    private NgCallStream openOrReuse(NgCall call, NgSdpMedia m) throws NgBackendException {
        NgCallStream s = m.index() < call.streams.size() ? call.streams.get(m.index()) : null;
        if (s == null) {
            s = new NgCallStream(m.index(), m.type(), m.protocol());
            call.streams.add(s);
        } else if (!s.type.equals(m.type()) || m.disabled()) {
            s.close();
            s.type = m.type();
        }
        s.protocol = m.protocol();
        if (!m.disabled() && s.relay == null) {
            s.relay = backend.openStream(call.callId, m.type(),
                m.rtp().getAddress() != null && m.rtp().getAddress().getAddress().length == 16);
            s.remoteKnown[0] = false;
            s.remoteKnown[1] = false;
        }
        return s;
    }

    private BencodeValue.Dict answer(BencodeValue.Dict req) throws NgRequestException {
        String callId = expectText(req, "call-id");
        expectText(req, "from-tag");
        String toTag = expectText(req, "to-tag");
        NgSdpEditor sdp = expectSdp(req);
        Set<String> flags = flagSet(req, "flags");
        Set<String> replace = flagSet(req, "replace");
        NgMediaOptions options = options(flags);
        NgCall call = expectCall(callId);
        NgLeg answerer = call.legOf(toTag);
        if (answerer == null) {
            // First answer, or a later fork's answer: the newest to-tag owns leg B.
            call.tagB = toTag;
            answerer = NgLeg.B;
        }
        call.lastSignalEpochMs = epochMs.getAsLong();
        NgLeg offerer = answerer.other();
        List<NgSdpMedia> media = sdp.media();
        if (media.size() > call.streams.size()) {
            throw new NgRequestException("answer has " + media.size() + " m= lines, the offer had "
                + call.streams.size());
        }
        int n = media.size();
        int[] rtpPorts = new int[n];
        int[] rtcpPorts = new int[n];
        boolean[] muxOut = new boolean[n];
        try {
            for (NgSdpMedia m : media) {
                NgCallStream s = call.streams.get(m.index());
                if (m.disabled() || s.relay == null) {
                    // Rejected by the answerer: stop relaying it.
                    s.close();
                    continue;
                }
                s.rtcpMux[answerer.ordinal()] = m.rtcpMux();
                s.relay.setRemote(answerer, m.rtp(), m.rtcpMux() ? m.rtp() : m.rtcp(), m.rtcpMux(), options);
                s.remoteKnown[answerer.ordinal()] = true;
                muxOut[m.index()] = s.rtcpMux[offerer.ordinal()];
                rtpPorts[m.index()] = s.relay.localRtpPort(offerer);
                rtcpPorts[m.index()] = s.relay.localRtcpPort(offerer);
            }
        } catch (NgBackendException e) {
            throw new NgRequestException("Relay refused the answer: " + e.getMessage());
        }
        String rewritten = sdp.rewrite(advertised(call, offerer), rtpPorts, rtcpPorts, muxOut,
            replace.contains("origin"));
        return new NgDictBuilder().put("result", "ok").put("sdp", rewritten).build();
    }

    private BencodeValue.Dict delete(BencodeValue.Dict req) throws NgRequestException {
        String callId = expectText(req, "call-id");
        NgCall call = expectCall(callId);
        BencodeValue.Dict totals = totals(call);
        calls.remove(callId);
        call.close();
        callsDeleted++;
        return new NgDictBuilder().put("result", "ok").put("created", call.createdEpochMs / 1000)
            .put("last signal", call.lastSignalEpochMs / 1000).put("totals", totals).build();
    }

    private BencodeValue.Dict query(BencodeValue.Dict req) throws NgRequestException {
        String callId = expectText(req, "call-id");
        NgCall call = expectCall(callId);
        NgDictBuilder tags = new NgDictBuilder();
        tags.put(call.tagA, tagDict(call, NgLeg.A));
        if (call.tagB != null) {
            tags.put(call.tagB, tagDict(call, NgLeg.B));
        }
        return new NgDictBuilder().put("result", "ok").put("created", call.createdEpochMs / 1000)
            .put("last signal", call.lastSignalEpochMs / 1000).put("tags", tags.build())
            .put("totals", totals(call)).build();
    }

    private BencodeValue.Dict tagDict(NgCall call, NgLeg leg) {
        String tag = leg == NgLeg.A ? call.tagA : call.tagB;
        String peer = leg == NgLeg.A ? call.tagB : call.tagA;
        List<BencodeValue> medias = new ArrayList<>();
        for (NgCallStream s : call.streams) {
            NgDictBuilder media = new NgDictBuilder().put("index", s.index + 1).put("type", s.type)
                .put("protocol", s.protocol);
            List<BencodeValue> streams = new ArrayList<>();
            if (s.relay != null) {
                NgStreamStats st = s.relay.stats(leg);
                streams.add(new NgDictBuilder()
                    .put("local port", s.relay.localRtpPort(leg))
                    .put("local rtcp port", s.relay.localRtcpPort(leg))
                    .put("rtcp-mux", s.rtcpMux[leg.ordinal()] ? 1 : 0)
                    .put("stats", statsDict(st))
                    .put("ssrc", st.ssrc())
                    .put("lost", st.lost())
                    .put("jitter", st.jitterUs())
                    .build());
            }
            media.put("streams", new BencodeValue.ListValue(streams));
            medias.add(media.build());
        }
        NgDictBuilder d = new NgDictBuilder().put("tag", tag).put("medias", new BencodeValue.ListValue(medias));
        if (peer != null) {
            d.put("in dialogue with", peer);
        }
        return d.build();
    }

    private static BencodeValue.Dict statsDict(NgStreamStats st) {
        return new NgDictBuilder().put("packets", st.packets()).put("bytes", st.bytes())
            .put("errors", st.dropped()).build();
    }

    private static BencodeValue.Dict totals(NgCall call) {
        long packets = 0;
        long bytes = 0;
        long errors = 0;
        for (NgCallStream s : call.streams) {
            if (s.relay == null) {
                continue;
            }
            for (NgLeg leg : NgLeg.values()) {
                NgStreamStats st = s.relay.stats(leg);
                packets += st.packets();
                bytes += st.bytes();
                errors += st.dropped();
            }
        }
        // The relay counts RTP and RTCP together; rtpengine splits them. All traffic goes under "RTP".
        BencodeValue.Dict rtp = new NgDictBuilder().put("packets", packets).put("bytes", bytes)
            .put("errors", errors).build();
        BencodeValue.Dict rtcp = new NgDictBuilder().put("packets", 0).put("bytes", 0).put("errors", 0).build();
        return new NgDictBuilder().put("RTP", rtp).put("RTCP", rtcp).build();
    }

    private BencodeValue.Dict list(BencodeValue.Dict req) throws NgRequestException {
        int limit = DEFAULT_LIST_LIMIT;
        BencodeValue l = req.get("limit");
        if (l instanceof BencodeValue.Int i) {
            limit = (int) Math.max(0, Math.min(i.value(), Integer.MAX_VALUE));
        } else if (l instanceof BencodeValue.Bytes b) {
            limit = parseLimit(b.text());
        } else if (l != null) {
            throw new NgRequestException("'limit' must be an integer");
        }
        return new NgDictBuilder().put("result", "ok").putTexts("calls", calls.callIds(limit)).build();
    }

    private static int parseLimit(String text) throws NgRequestException {
        if (text.isEmpty() || text.length() > 9 || !text.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
            throw new NgRequestException("'limit' must be an integer");
        }
        return Integer.parseInt(text);
    }

    private BencodeValue.Dict statistics() {
        BencodeValue.Dict current = new NgDictBuilder().put("sessionsown", calls.size())
            .put("sessionsforeign", 0).put("sessionstotal", calls.size())
            .put("streams", backend.openStreams()).build();
        BencodeValue.Dict total = new NgDictBuilder().put("managedsessions", callsCreated)
            .put("deletedsessions", callsDeleted).put("timedoutsessions", callsTimedOut)
            .put("retransmissions", stats.retransmissions())
            .put("malformed", stats.malformed()).build();
        return new NgDictBuilder().put("result", "ok").put("statistics", new NgDictBuilder()
            .put("currentstatistics", current).put("totalstatistics", total).build()).build();
    }

    private NgCall expectCall(String callId) throws NgRequestException {
        NgCall call = calls.get(callId);
        if (call == null) {
            throw new NgRequestException("Unknown call-id");
        }
        return call;
    }

    private static String expectText(BencodeValue.Dict req, String key) throws NgRequestException {
        BencodeValue v = req.get(key);
        if (v == null) {
            throw new NgRequestException("No " + key + " in message");
        }
        if (!(v instanceof BencodeValue.Bytes b)) {
            throw new NgRequestException("'" + key + "' must be a string");
        }
        String text = b.text();
        if (text.isEmpty()) {
            throw new NgRequestException("'" + key + "' is empty");
        }
        return text;
    }

    private static NgSdpEditor expectSdp(BencodeValue.Dict req) throws NgRequestException {
        String body = expectText(req, "sdp");
        try {
            return NgSdpEditor.parse(body);
        } catch (NgSdpException e) {
            throw new NgRequestException("Failed to parse SDP: " + e.getMessage());
        }
    }

    /**
     * The strings of list {@code key}, lower-cased with '-' and '_' read as spaces ("strict-source"
     * and "strict source" are the same flag; Kamailio and OpenSIPS send both spellings).
     */
    private static Set<String> flagSet(BencodeValue.Dict req, String key) throws NgRequestException {
        BencodeValue v = req.get(key);
        Set<String> out = new HashSet<>();
        if (v == null) {
            return out;
        }
        if (v instanceof BencodeValue.Bytes b) {
            // Some clients send a single space-free string instead of a list.
            out.add(normalize(b.text()));
            return out;
        }
        if (!(v instanceof BencodeValue.ListValue l)) {
            throw new NgRequestException("'" + key + "' must be a list");
        }
        for (BencodeValue item : l.items()) {
            if (!(item instanceof BencodeValue.Bytes b)) {
                throw new NgRequestException("'" + key + "' must be a list of strings");
            }
            out.add(normalize(b.text()));
        }
        return out;
    }

    private static String normalize(String flag) {
        return flag.trim().toLowerCase(Locale.ROOT).replace('-', ' ').replace('_', ' ');
    }

    private NgMediaOptions options(Set<String> flags) {
        NgMediaOptions d = config.defaultOptions();
        boolean symmetric = d.symmetric();
        if (flags.contains("asymmetric")) {
            symmetric = false;
        } else if (flags.contains("symmetric")) {
            symmetric = true;
        }
        boolean strict = d.strictSource() || flags.contains("strict source");
        boolean handover = d.mediaHandover() || flags.contains("media handover");
        return new NgMediaOptions(symmetric, strict, handover);
    }
}
