package io.spillway.cluster;

import io.netty.buffer.ByteBuf;
import io.spillway.cluster.protocol.AcceptFlyweight;
import io.spillway.cluster.protocol.AckFlyweight;
import io.spillway.cluster.protocol.AllBusyFlyweight;
import io.spillway.cluster.protocol.ConnectFlyweight;
import io.spillway.cluster.protocol.ControlCodec;
import io.spillway.cluster.protocol.HeaderFlyweight;
import io.spillway.cluster.protocol.LoadFlyweight;
import io.spillway.cluster.protocol.MessageType;
import io.spillway.cluster.protocol.ReleaseFlyweight;
import io.spillway.cluster.protocol.ReplayTable;
import io.spillway.cluster.protocol.ReservationToken;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

import org.HdrHistogram.Recorder;
import org.jctools.maps.NonBlockingHashMapLong;

/**
 * The control-protocol state machines of one node: origin requests, hop processing, hop-by-hop
 * acknowledgement and retransmission, heartbeats and the peer table. Every method runs on the
 * node's event loop; nothing here is locked or shared except through {@link ClusterCounters},
 * {@link ReservationTable}, {@link AdmissionGate}, the latency {@link Recorder} and the volatile
 * fields of {@link PeerState}, which are safe to read from other threads.
 */
final class ControlEndpoint {
    private static final System.Logger LOG = System.getLogger(ControlEndpoint.class.getName());

    /** One message that is retransmitted until acknowledged or given up. */
    private static final class PendingSend {
        long requestId;
        int type;
        int destIndex;
        int originNodeId;
        int hopCount;
        long demandBandwidth;
        long demandPps;
        byte[] token;
        String tokenText;
        long nextRetransmitNs;
        long giveUpNs;
        long firstSentNs;
        /** Retransmissions so far; the interval doubles with each, up to the cap. */
        int retransmits;
        /**
         * A CONNECT kept after its hop timeout until a chain deadline since the first try, because
         * it went to the last candidate or to a node heard from since (see giveUp).
         */
        boolean kept;
        /** When a CONNECT was put in its next hop's waiting queue (window full). */
        long waitingSinceNs;
    }

    /** A placement this node started (it is the origin). */
    private static final class OriginRequest {
        final long requestId;
        final CompletableFuture<Placement> future;
        final long startNs;
        final long deadlineNs;
        boolean done;
        String winningToken;
        long forgetAtNs;

        OriginRequest(final long requestId, final CompletableFuture<Placement> future, final long startNs,
                      final long deadlineNs) {
            this.requestId = requestId;
            this.future = future;
            this.startNs = startNs;
            this.deadlineNs = deadlineNs;
        }
    }

    /** A CONNECT this node has processed, remembered to recognise retransmissions. */
    private static final class HopRequest {
        final long requestId;
        final long forgetAtNs;
        int answerType;

        HopRequest(final long requestId, final long forgetAtNs) {
            this.requestId = requestId;
            this.forgetAtNs = forgetAtNs;
        }
    }

    /** What this node knows of a peer; written by the loop, read by anyone. */
    static final class PeerState {
        volatile long lastSeenNs;
        volatile boolean everSeen;
        volatile LoadReport lastLoad;
        boolean reportedAlive = true;
        /** Smoothed ACK round trip and its variation (RFC 6298 style); 0 until the first sample. */
        long srttNs;
        long rttVarNs;
    }

    private static final int ANSWER_FORWARDED = 0;

    private final ClusterConfig config;
    private final int selfId;
    private final int selfIndex;
    private final PeerSpec[] peers;
    private final PeerState[] peerStates;
    private final int[] sortedIds;
    private final int[] indexBySortedId;
    private final ControlCodec codec;
    private final ReplayTable replay;
    private final ClusterCounters counters;
    private final AdmissionGate gate;
    private final ReservationTable reservations;
    private final LongSupplier nanoClock;
    private final LongSupplier epochMsClock;
    private final DatagramFilter filter;
    private final Recorder latency;
    private final long hopAckTimeoutNs;
    private final long retransmitIntervalNs;
    /** Longest retransmit interval the backoff reaches. */
    private final long retransmitCapNs;
    private final long chainDeadlineNs;
    /**
     * How long a finished request is remembered to recognise copies: any copy still sent (at most
     * a chain deadline after the first) is stale one replay window after it was stamped.
     */
    private final long rememberNs;
    private final long replayWindowUs;
    private final long peerDeadAfterNs;

    private final ArrayList<PendingSend> pending = new ArrayList<>();
    /** Unacknowledged CONNECTs per next hop (sequence index); at most {@link #CONNECT_WINDOW}. */
    private final int[] connectsInFlight;
    /** CONNECTs waiting for room in their next hop's window, oldest first. */
    private final ArrayDeque<PendingSend>[] connectsWaiting;
    private final NonBlockingHashMapLong<OriginRequest> originRequests = new NonBlockingHashMapLong<>();
    private final NonBlockingHashMapLong<HopRequest> hopRequests = new NonBlockingHashMapLong<>();
    // Deadlines and forget times are "now + constant", so FIFO order is (nearly) time order and the
    // tick only looks at the heads instead of scanning every remembered request.
    private final ArrayDeque<OriginRequest> openByDeadline = new ArrayDeque<>();
    private final ArrayDeque<OriginRequest> doneByForgetTime = new ArrayDeque<>();
    private final ArrayDeque<HopRequest> hopsByForgetTime = new ArrayDeque<>();
    private final byte[] tokenScratch = new byte[ReservationToken.LENGTH];
    private DatagramSink sink;
    private boolean stopped;
    private long lastTimestampUs;

    ControlEndpoint(
            final ClusterConfig config, final ClusterCounters counters, final AdmissionGate gate,
            final ReservationTable reservations, final LongSupplier nanoClock, final LongSupplier epochMsClock,
            final DatagramFilter filter, final Recorder latency, final int replayTableCapacity) {
        this.config = config;
        this.selfId = config.nodeId();
        this.selfIndex = config.indexOf(selfId);
        this.peers = config.sequence().toArray(new PeerSpec[0]);
        this.peerStates = new PeerState[peers.length];
        this.connectsInFlight = new int[peers.length];
        @SuppressWarnings("unchecked")
        final ArrayDeque<PendingSend>[] waiting = new ArrayDeque[peers.length];
        for (int i = 0; i < peers.length; i++) {
            waiting[i] = new ArrayDeque<>();
        }
        this.connectsWaiting = waiting;
        this.sortedIds = new int[peers.length];
        this.indexBySortedId = new int[peers.length];
        final Integer[] order = new Integer[peers.length];
        for (int i = 0; i < peers.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Integer.compare(peers[a].nodeId(), peers[b].nodeId()));
        for (int i = 0; i < peers.length; i++) {
            sortedIds[i] = peers[order[i]].nodeId();
            indexBySortedId[i] = order[i];
        }
        final long startNs = nanoClock.getAsLong();
        for (int i = 0; i < peers.length; i++) {
            peerStates[i] = new PeerState();
            peerStates[i].lastSeenNs = startNs;
        }
        this.codec = new ControlCodec(config.secret());
        this.replay = new ReplayTable(config.replayWindowMs(), replayTableCapacity,
            Math.max(replayTableCapacity, MAX_REPLAY_SLOTS), epochMsClock.getAsLong());
        this.counters = counters;
        this.gate = gate;
        this.reservations = reservations;
        this.nanoClock = nanoClock;
        this.epochMsClock = epochMsClock;
        this.filter = filter;
        this.latency = latency;
        this.hopAckTimeoutNs = config.hopAckTimeoutMs() * 1_000_000L;
        this.retransmitIntervalNs = config.retransmitIntervalMs() * 1_000_000L;
        this.retransmitCapNs = retransmitIntervalNs * RETRANSMIT_BACKOFF_CAP;
        this.chainDeadlineNs = config.chainDeadlineMs() * 1_000_000L;
        this.rememberNs = (config.replayWindowMs() + 2 * config.chainDeadlineMs()) * 1_000_000L;
        this.replayWindowUs = config.replayWindowMs() * 1_000L;
        this.peerDeadAfterNs = config.peerDeadAfterMs() * 1_000_000L;
    }

    /**
     * Most replay-table slots per generation: a million tracked datagrams per replay window (about
     * 40 MB per generation at most; reached only under a flood of authenticated datagrams).
     */
    static final int MAX_REPLAY_SLOTS = 1 << 21;

    /**
     * Retransmit backoff: the n-th resend of a message waits {@code retransmitInterval << n}, at
     * most this many intervals (25, 50, 100, 200, 200 ... ms with the defaults). A fixed interval
     * multiplies the traffic by the number of outstanding requests exactly when the receiving
     * loops are already behind.
     */
    static final int RETRANSMIT_BACKOFF_CAP = 8;

    /**
     * Most unacknowledged CONNECTs to one next hop; later ones wait here, in order, and leave as
     * ACKs come back. A burst of hundreds of chains otherwise lands in the next hop's socket at
     * once: it falls behind by more than the hop-ack timeout, its ACKs arrive late, the sender
     * retransmits everything and skips a live node, the chain forks and a second reservation
     * holds room that a later call is refused for. The window bounds the next hop's backlog (and
     * so its ACK delay); the hop-ack timeout starts when a CONNECT is sent. It also bounds the
     * rate, window / round trip: 32 was too few on a loaded machine (round trips of 50-100 ms
     * let 400 chains through in about a second).
     */
    static final int CONNECT_WINDOW = 128;

    /**
     * Initial replay-table slots per generation for a config: four times the heartbeats one
     * window brings from all peers, at least 16k; the table grows with the control traffic beyond
     * that, up to {@link #MAX_REPLAY_SLOTS}.
     */
    static int replayTableCapacity(final ClusterConfig config) {
        final long heartbeatsPerWindow = (config.sequence().size() - 1L)
            * Math.max(1, config.replayWindowMs() / config.heartbeatIntervalMs());
        final long wanted = Math.max(1L << 14, 4 * heartbeatsPerWindow);
        return (int) Math.min(MAX_REPLAY_SLOTS, Long.highestOneBit(wanted - 1) << 1);
    }

    void attach(final DatagramSink sink) {
        this.sink = sink;
    }

    PeerState peerState(final int index) {
        return peerStates[index];
    }

    /** @return the sequence position of a node id, or -1; binary search, no allocation */
    private int indexOf(final int nodeId) {
        final int at = java.util.Arrays.binarySearch(sortedIds, nodeId);
        return at < 0 ? -1 : indexBySortedId[at];
    }

    // ---------------------------------------------------------------- origin

    /** Starts the chain for a request this node could not take itself. */
    void startChain(final long requestId, final CallDemand demand, final CompletableFuture<Placement> future,
                    final long startNs) {
        final OriginRequest request = new OriginRequest(requestId, future, startNs, startNs + chainDeadlineNs);
        if (stopped) {
            completeOrigin(request, new Placement.TimedOut(), ClusterCounter.PLACED_TIMED_OUT);
            return;
        }
        originRequests.put(requestId, request);
        openByDeadline.add(request);
        forwardOrFinish(requestId, selfIndex, selfIndex, 1, demand.bandwidthBytesPerSec(), demand.packetsPerSec());
        flush();
    }

    /** Pushes out the datagrams queued by the work just done. */
    void flush() {
        if (sink != null) {
            sink.flush();
        }
    }

    private void completeOrigin(final OriginRequest request, final Placement placement, final ClusterCounter outcome) {
        final long nowNs = nanoClock.getAsLong();
        request.done = true;
        request.forgetAtNs = nowNs + rememberNs;
        doneByForgetTime.add(request);
        counters.increment(outcome);
        latency.recordValue(Math.max(0, nowNs - request.startNs));
        request.future.complete(placement);
    }

    // ---------------------------------------------------------------- receive

    void onDatagram(final ByteBuf buf) {
        counters.increment(ClusterCounter.DATAGRAMS_RECEIVED);
        final int verdict = codec.verify(buf);
        if (verdict == ControlCodec.MALFORMED) {
            counters.increment(ClusterCounter.DROPPED_MALFORMED);
            return;
        }
        if (verdict == ControlCodec.BAD_MAC) {
            counters.increment(ClusterCounter.DROPPED_BAD_MAC);
            return;
        }
        final int base = buf.readerIndex();
        final int type = HeaderFlyweight.type(buf, base);
        final long requestId = HeaderFlyweight.requestId(buf, base);
        final int originId = HeaderFlyweight.originNodeId(buf, base);
        final int senderId = HeaderFlyweight.senderNodeId(buf, base);
        final long timestampUs = HeaderFlyweight.timestampUs(buf, base);
        final int senderIndex = indexOf(senderId);
        final int originIndex = indexOf(originId);
        if (senderIndex < 0 || senderIndex == selfIndex || originIndex < 0) {
            counters.increment(ClusterCounter.DROPPED_UNKNOWN_PEER);
            return;
        }
        final long nowMs = epochMsClock.getAsLong();
        final long ageUs = nowMs * 1_000L - timestampUs;
        if (ageUs > replayWindowUs || ageUs < -replayWindowUs) {
            counters.increment(ClusterCounter.DROPPED_STALE);
            return;
        }
        final int body = HeaderFlyweight.bodyIndex(base);
        final int subType = type == MessageType.ACK ? AckFlyweight.ackedType(buf, body) : 0;
        final int seen = replay.check(requestId, ReplayTable.tag(senderId, type, subType), timestampUs, nowMs);
        if (seen == ReplayTable.REPLAY) {
            counters.increment(ClusterCounter.DROPPED_REPLAY);
            return;
        }
        if (seen == ReplayTable.FULL) {
            counters.increment(ClusterCounter.DROPPED_OVERLOAD);
            return;
        }
        final long nowNs = nanoClock.getAsLong();
        final PeerState peer = peerStates[senderIndex];
        peer.lastSeenNs = nowNs;
        peer.everSeen = true;
        switch (type) {
            case MessageType.CONNECT -> onConnect(buf, body, requestId, originIndex, senderIndex, nowNs);
            case MessageType.ACK -> onAck(requestId, subType, senderIndex);
            case MessageType.ACCEPT -> onAccept(buf, body, requestId, originIndex, senderIndex);
            case MessageType.ALL_BUSY -> onAllBusy(buf, body, requestId, originIndex, senderIndex);
            case MessageType.RELEASE -> onRelease(buf, body, requestId, originId, senderIndex);
            case MessageType.LOAD -> onLoad(buf, body, senderIndex, nowNs);
            default -> counters.increment(ClusterCounter.DROPPED_MALFORMED);
        }
    }

    private void onConnect(final ByteBuf buf, final int body, final long requestId, final int originIndex,
                           final int senderIndex, final long nowNs) {
        sendAck(requestId, peers[originIndex].nodeId(), senderIndex, MessageType.CONNECT);
        if (originIndex == selfIndex) {
            return; // our own request came round again: the chain ends at the origin, nothing to do
        }
        final HopRequest known = hopRequests.get(requestId);
        if (known != null) {
            // A copy means the sender missed our ACK (re-sent above), nothing about our answer: the
            // answer has its own retransmission timer. Resending it here as well doubled the answers
            // under a burst, when every CONNECT is copied once or twice.
            counters.increment(ClusterCounter.DUPLICATES);
            return;
        }
        final HopRequest hop = new HopRequest(requestId, nowNs + rememberNs);
        hopRequests.put(requestId, hop);
        hopsByForgetTime.add(hop);
        final long bandwidth = ConnectFlyweight.demandBandwidthBytesPerSec(buf, body);
        final long pps = ConnectFlyweight.demandPacketsPerSec(buf, body);
        final int hopCount = ConnectFlyweight.hopCount(buf, body);
        final Reservation reservation = reservations.tryReserve(new CallDemand(bandwidth, pps), nowNs);
        if (reservation != null) {
            counters.increment(ClusterCounter.RESERVATIONS_MADE);
            counters.increment(ClusterCounter.CONNECTS_ACCEPTED);
            hop.answerType = MessageType.ACCEPT;
            final PendingSend accept = newPending(requestId, MessageType.ACCEPT, originIndex,
                peers[originIndex].nodeId(), nowNs + chainDeadlineNs);
            accept.hopCount = hopCount;
            accept.token = reservations.tokenBytes(reservation.token());
            accept.tokenText = reservation.token();
            if (accept.token == null) {
                return; // consumed or released already by a racing API call; nothing to offer
            }
            queue(accept);
            return;
        }
        final int answer = forwardOrFinish(requestId, originIndex, selfIndex, hopCount + 1, bandwidth, pps);
        hop.answerType = answer;
    }

    /**
     * Sends CONNECT to the next usable node after {@code afterIndex}, or ends the chain: ALL_BUSY
     * to the origin, or, at the origin itself, completes the request all busy.
     *
     * @return {@link #ANSWER_FORWARDED} or {@link MessageType#ALL_BUSY}
     */
    private int forwardOrFinish(final long requestId, final int originIndex, final int afterIndex,
                                final int hopCount, final long bandwidth, final long pps) {
        final long nowNs = nanoClock.getAsLong();
        final int next = nextCandidate(afterIndex, originIndex, nowNs, true);
        final int originId = peers[originIndex].nodeId();
        if (next < 0) {
            if (originIndex == selfIndex) {
                final OriginRequest request = originRequests.get(requestId);
                if (request != null && !request.done) {
                    completeOrigin(request, new Placement.AllBusy(hopCount - 1), ClusterCounter.PLACED_ALL_BUSY);
                }
            } else {
                counters.increment(ClusterCounter.CONNECTS_ALL_BUSY);
                final PendingSend busy = newPending(requestId, MessageType.ALL_BUSY, originIndex, originId,
                    nowNs + chainDeadlineNs);
                busy.hopCount = hopCount - 1;
                queue(busy);
                final HopRequest hop = hopRequests.get(requestId);
                if (hop != null) {
                    hop.answerType = MessageType.ALL_BUSY;
                }
            }
            return MessageType.ALL_BUSY;
        }
        if (originIndex != selfIndex) {
            counters.increment(ClusterCounter.CONNECTS_FORWARDED);
        }
        final PendingSend connect = newPending(requestId, MessageType.CONNECT, next, originId, 0);
        connect.hopCount = hopCount;
        connect.demandBandwidth = bandwidth;
        connect.demandPps = pps;
        if (connectsInFlight[next] < CONNECT_WINDOW) {
            sendConnect(connect, nowNs);
        } else {
            connect.waitingSinceNs = nowNs;
            connectsWaiting[next].add(connect);
        }
        return ANSWER_FORWARDED;
    }

    private void sendConnect(final PendingSend connect, final long nowNs) {
        connectsInFlight[connect.destIndex]++;
        connect.giveUpNs = nowNs + hopAckTimeoutNs;
        queue(connect);
    }

    /**
     * A CONNECT left the window (acknowledged or given up): the oldest waiting CONNECTs to that hop
     * take its place. One that waited longer than a chain deadline is dropped: its origin has
     * answered TimedOut already.
     */
    private void connectDone(final int destIndex) {
        connectsInFlight[destIndex]--;
        final ArrayDeque<PendingSend> waiting = connectsWaiting[destIndex];
        final long nowNs = nanoClock.getAsLong();
        while (connectsInFlight[destIndex] < CONNECT_WINDOW && !waiting.isEmpty()) {
            final PendingSend next = waiting.poll();
            if (nowNs - next.waitingSinceNs < chainDeadlineNs && !originDone(next.requestId)) {
                sendConnect(next, nowNs);
            }
        }
    }

    /** @return the index of the next node to try after {@code afterIndex}, or -1 at the end */
    private int nextCandidate(final int afterIndex, final int originIndex, final long nowNs, final boolean count) {
        final int n = peers.length;
        for (int step = 1; step < n; step++) {
            final int i = (afterIndex + step) % n;
            if (i == originIndex || i == selfIndex) {
                return -1;
            }
            if (isSkippable(i, nowNs)) {
                if (count) {
                    counters.increment(ClusterCounter.HOPS_SKIPPED_PEER_TABLE);
                }
                continue;
            }
            return i;
        }
        return -1;
    }

    private boolean isSkippable(final int index, final long nowNs) {
        final PeerState state = peerStates[index];
        if (config.skipDeadPeers() && nowNs - state.lastSeenNs > peerDeadAfterNs) {
            return true;
        }
        if (config.skipFullPeers()) {
            final LoadReport load = state.lastLoad;
            return load != null && load.full() && nowNs - load.receivedAtNs() < peerDeadAfterNs;
        }
        return false;
    }

    private void onAck(final long requestId, final int ackedType, final int senderIndex) {
        for (int i = pending.size() - 1; i >= 0; i--) {
            final PendingSend p = pending.get(i);
            if (p.requestId == requestId && p.type == ackedType && p.destIndex == senderIndex) {
                sampleRtt(p);
                removeAt(i);
                if (ackedType == MessageType.CONNECT) {
                    connectDone(senderIndex);
                }
                return;
            }
        }
    }

    private void onAccept(final ByteBuf buf, final int body, final long requestId, final int originIndex,
                          final int senderIndex) {
        sendAck(requestId, selfId, senderIndex, MessageType.ACCEPT);
        if (originIndex != selfIndex || AcceptFlyweight.nodeId(buf, body) != peers[senderIndex].nodeId()) {
            counters.increment(ClusterCounter.DROPPED_UNKNOWN_PEER);
            return;
        }
        AcceptFlyweight.token(buf, body, tokenScratch);
        final String token = ReservationToken.toText(tokenScratch);
        final OriginRequest request = originRequests.get(requestId);
        if (request != null && !request.done) {
            final InetSocketAddress sip = AcceptFlyweight.sipAddress(buf, body);
            request.winningToken = token;
            completeOrigin(request,
                new Placement.Remote(peers[senderIndex].nodeId(), peers[senderIndex].name(),
                    sip != null ? sip : peers[senderIndex].sipAddress(), token),
                ClusterCounter.PLACED_REMOTE);
            return;
        }
        if (request != null && token.equals(request.winningToken)) {
            counters.increment(ClusterCounter.DUPLICATES);
            return;
        }
        // Too late (timed out), a second acceptor, or a request we no longer know: give it back.
        if (findPendingRelease(requestId, senderIndex, token) == null) {
            final PendingSend release = newPending(requestId, MessageType.RELEASE, senderIndex, selfId,
                nanoClock.getAsLong() + chainDeadlineNs);
            release.token = tokenScratch.clone();
            release.tokenText = token;
            counters.increment(ClusterCounter.RELEASES_SENT);
            queue(release);
        }
    }

    private void onAllBusy(final ByteBuf buf, final int body, final long requestId, final int originIndex,
                           final int senderIndex) {
        sendAck(requestId, selfId, senderIndex, MessageType.ALL_BUSY);
        if (originIndex != selfIndex) {
            counters.increment(ClusterCounter.DROPPED_UNKNOWN_PEER);
            return;
        }
        final OriginRequest request = originRequests.get(requestId);
        if (request != null && !request.done) {
            completeOrigin(request, new Placement.AllBusy(AllBusyFlyweight.hopCount(buf, body)),
                ClusterCounter.PLACED_ALL_BUSY);
        } else {
            counters.increment(ClusterCounter.DUPLICATES);
        }
    }

    private void onRelease(final ByteBuf buf, final int body, final long requestId, final int originId,
                           final int senderIndex) {
        sendAck(requestId, originId, senderIndex, MessageType.RELEASE);
        ReleaseFlyweight.token(buf, body, tokenScratch);
        final String token = ReservationToken.toText(tokenScratch);
        reservations.release(token);
        // The origin has our ACCEPT; stop resending it.
        for (int i = pending.size() - 1; i >= 0; i--) {
            final PendingSend p = pending.get(i);
            if (p.requestId == requestId && p.type == MessageType.ACCEPT && token.equals(p.tokenText)) {
                removeAt(i);
            }
        }
    }

    private void onLoad(final ByteBuf buf, final int body, final int senderIndex, final long nowNs) {
        final int flags = LoadFlyweight.flags(buf, body);
        peerStates[senderIndex].lastLoad = new LoadReport(peers[senderIndex].nodeId(),
            LoadFlyweight.activeCalls(buf, body), LoadFlyweight.reservations(buf, body),
            LoadFlyweight.bandwidthBytesPerSec(buf, body), LoadFlyweight.packetsPerSec(buf, body),
            (flags & LoadFlyweight.FLAG_FULL) != 0, (flags & LoadFlyweight.FLAG_DRAINING) != 0, nowNs);
    }

    // ---------------------------------------------------------------- timers

    /** Retransmissions, give-ups, origin deadlines and forgetting; runs every few milliseconds. */
    void onTick() {
        final long nowNs = nanoClock.getAsLong();
        // Origin deadlines first: a tick that runs late (a starved loop) must give the answer a
        // timely one gives. The origin's deadline is never later than its last hop's last-resort
        // give-up, which would otherwise end the chain ALL_BUSY although that node was never heard.
        for (OriginRequest head = openByDeadline.peek(); head != null; head = openByDeadline.peek()) {
            if (head.done) {
                openByDeadline.poll();
            } else if (head.deadlineNs - nowNs <= 0) {
                openByDeadline.poll();
                completeOrigin(head, new Placement.TimedOut(), ClusterCounter.PLACED_TIMED_OUT);
            } else {
                break;
            }
        }
        for (int i = pending.size() - 1; i >= 0; i--) {
            if (i >= pending.size()) {
                continue;
            }
            final PendingSend p = pending.get(i);
            if (p.giveUpNs - nowNs <= 0) {
                removeAt(i);
                giveUp(p);
            } else if (p.nextRetransmitNs - nowNs <= 0) {
                p.retransmits++;
                p.nextRetransmitNs = nowNs + backoffNs(p.destIndex, p.retransmits);
                transmit(p, true);
            }
        }
        for (OriginRequest head = doneByForgetTime.peek(); head != null && head.forgetAtNs - nowNs <= 0;
             head = doneByForgetTime.peek()) {
            doneByForgetTime.poll();
            originRequests.remove(head.requestId);
        }
        for (HopRequest head = hopsByForgetTime.peek(); head != null && head.forgetAtNs - nowNs <= 0;
             head = hopsByForgetTime.peek()) {
            hopsByForgetTime.poll();
            hopRequests.remove(head.requestId);
        }
        flush();
    }

    /**
     * @return the wait before the next resend to a peer after {@code retransmits} resends: the
     *     peer's retransmission timeout (at least the configured interval; more when its measured
     *     ACK round trip says it is slower), doubled per resend, at most the cap
     */
    private long backoffNs(final int destIndex, final int retransmits) {
        final PeerState peer = peerStates[destIndex];
        final long rtoNs = Math.min(retransmitCapNs,
            Math.max(retransmitIntervalNs, peer.srttNs + 4 * peer.rttVarNs));
        final int shift = Math.min(retransmits, Integer.numberOfTrailingZeros(RETRANSMIT_BACKOFF_CAP));
        return Math.min(rtoNs << shift, retransmitCapNs);
    }

    /**
     * Learns a peer's ACK round trip from a message acknowledged without resends (Karn: the ACK of
     * a resent message could answer any copy). Under a burst the round trip includes both loops'
     * backlog; resending sooner than that only adds to the backlog.
     */
    private void sampleRtt(final PendingSend p) {
        if (p.retransmits != 0) {
            return;
        }
        final long sampleNs = Math.max(0, nanoClock.getAsLong() - p.firstSentNs);
        final PeerState peer = peerStates[p.destIndex];
        if (peer.srttNs == 0) {
            peer.srttNs = sampleNs;
            peer.rttVarNs = sampleNs / 2;
        } else {
            peer.rttVarNs += (Math.abs(peer.srttNs - sampleNs) - peer.rttVarNs) / 4;
            peer.srttNs += (sampleNs - peer.srttNs) / 8;
        }
    }

    /** Frees expired reservations. */
    void onSweep() {
        final int expired = reservations.expire(nanoClock.getAsLong());
        if (expired > 0) {
            counters.add(ClusterCounter.RESERVATIONS_EXPIRED, expired);
        }
    }

    /** Sends a LOAD heartbeat to every peer. */
    void onHeartbeat(final long requestId) {
        final WorkloadSource workload = gate.workload();
        final long active = workload.activeCalls();
        final long reserved = gate.reservedCalls();
        final long bandwidth = workload.bandwidthBytesPerSec();
        final long pps = workload.packetsPerSec();
        final int flags = (gate.isFull() ? LoadFlyweight.FLAG_FULL : 0)
            | (gate.isDraining() ? LoadFlyweight.FLAG_DRAINING : 0);
        for (int i = 0; i < peers.length; i++) {
            if (i == selfIndex || !isOpen()) {
                continue;
            }
            if (filter.drop(MessageType.LOAD, peers[i].nodeId())) {
                counters.increment(ClusterCounter.DROPPED_BY_FILTER);
                continue;
            }
            final ByteBuf out = sink.alloc().directBuffer(MessageType.datagramLength(MessageType.LOAD));
            final int base = codec.begin(out, MessageType.LOAD, requestId, selfId, selfId, nextTimestampUs());
            LoadFlyweight.put(out, HeaderFlyweight.bodyIndex(base), active, reserved, bandwidth, pps, flags);
            codec.finish(out, base);
            write(out, i);
        }
        flush();
    }

    /** Logs peers that went dead or came back since the last check (not per datagram: per interval). */
    void onLivenessCheck() {
        final long nowNs = nanoClock.getAsLong();
        for (int i = 0; i < peers.length; i++) {
            if (i == selfIndex) {
                continue;
            }
            final boolean alive = nowNs - peerStates[i].lastSeenNs <= peerDeadAfterNs;
            if (alive != peerStates[i].reportedAlive) {
                peerStates[i].reportedAlive = alive;
                LOG.log(alive ? System.Logger.Level.INFO : System.Logger.Level.WARNING,
                    "cluster peer {0} ({1}, {2}) is {3}", peers[i].name(), peers[i].nodeId(),
                    peers[i].controlAddress(), alive ? "alive again" : "dead: nothing heard for "
                        + (nowNs - peerStates[i].lastSeenNs) / 1_000_000L + " ms");
            }
        }
    }

    /** Completes every open origin request TimedOut; called when the node stops. */
    void onStop() {
        stopped = true;
        for (final OriginRequest request : originRequests.values()) {
            if (!request.done) {
                completeOrigin(request, new Placement.TimedOut(), ClusterCounter.PLACED_TIMED_OUT);
            }
        }
        pending.clear();
        java.util.Arrays.fill(connectsInFlight, 0);
        for (final ArrayDeque<PendingSend> waiting : connectsWaiting) {
            waiting.clear();
        }
    }

    private void giveUp(final PendingSend p) {
        switch (p.type) {
            case MessageType.CONNECT -> {
                final int originIndex = indexOf(p.originNodeId);
                final long nowNs = nanoClock.getAsLong();
                if (!p.kept && (heardSince(p.destIndex, p.firstSentNs)
                    || nextCandidate(p.destIndex, originIndex, nowNs, false) < 0)) {
                    // A node that sent us anything since this CONNECT left is alive, only behind (its
                    // ACK is queued or was lost): skipping it would ask the next node too, and a
                    // placement could end in two reservations or, at the end of the sequence, in
                    // ALL_BUSY. The same holds for the last candidate, dead or not, since nobody comes
                    // after it. Keep asking it (backoff continues) until a chain deadline since the
                    // first try.
                    p.kept = true;
                    p.giveUpNs = p.firstSentNs + chainDeadlineNs;
                    if (p.giveUpNs - nowNs > 0) {
                        pending.add(p);
                        return;
                    }
                }
                skipHop(p, originIndex);
                if (!p.kept) {
                    // Nothing heard from it since the CONNECT left: the CONNECTs queued behind this
                    // one would wait for the same silence; skip them now.
                    final ArrayDeque<PendingSend> waiting = connectsWaiting[p.destIndex];
                    for (PendingSend w = waiting.poll(); w != null; w = waiting.poll()) {
                        skipHop(w, indexOf(w.originNodeId));
                    }
                }
                connectDone(p.destIndex);
            }
            case MessageType.ACCEPT -> {
                // The origin never confirmed it; it cannot be using the reservation.
                reservations.release(p.tokenText);
            }
            default -> {
                // ALL_BUSY or RELEASE unacknowledged: the origin's deadline or the TTL covers it.
            }
        }
    }

    /** @return true if this node is the request's origin and has answered it already */
    private boolean originDone(final long requestId) {
        final OriginRequest request = originRequests.get(requestId);
        return request != null && request.done;
    }

    private void skipHop(final PendingSend p, final int originIndex) {
        counters.increment(ClusterCounter.HOPS_SKIPPED_TIMEOUT);
        final int answer = forwardOrFinish(p.requestId, originIndex, p.destIndex, p.hopCount + 1,
            p.demandBandwidth, p.demandPps);
        final HopRequest hop = hopRequests.get(p.requestId);
        if (hop != null && originIndex != selfIndex) {
            hop.answerType = answer;
        }
    }

    /** @return true if an authenticated datagram from the peer arrived at or after {@code sinceNs} */
    private boolean heardSince(final int index, final long sinceNs) {
        return peerStates[index].lastSeenNs - sinceNs >= 0;
    }

    // ---------------------------------------------------------------- send

    private PendingSend newPending(final long requestId, final int type, final int destIndex, final int originNodeId,
                                   final long giveUpNs) {
        final PendingSend p = new PendingSend();
        p.requestId = requestId;
        p.type = type;
        p.destIndex = destIndex;
        p.originNodeId = originNodeId;
        p.giveUpNs = giveUpNs;
        return p;
    }

    private void queue(final PendingSend p) {
        p.firstSentNs = nanoClock.getAsLong();
        p.nextRetransmitNs = p.firstSentNs + backoffNs(p.destIndex, 0);
        pending.add(p);
        transmit(p, false);
    }

    private PendingSend findPendingRelease(final long requestId, final int destIndex, final String token) {
        for (int i = pending.size() - 1; i >= 0; i--) {
            final PendingSend p = pending.get(i);
            if (p.requestId == requestId && p.type == MessageType.RELEASE && p.destIndex == destIndex
                && token.equals(p.tokenText)) {
                return p;
            }
        }
        return null;
    }

    private void removeAt(final int index) {
        final int last = pending.size() - 1;
        pending.set(index, pending.get(last));
        pending.remove(last);
    }

    private void transmit(final PendingSend p, final boolean retransmission) {
        if (!isOpen()) {
            return;
        }
        if (retransmission) {
            counters.increment(ClusterCounter.DATAGRAMS_RETRANSMITTED);
        }
        if (filter.drop(p.type, peers[p.destIndex].nodeId())) {
            counters.increment(ClusterCounter.DROPPED_BY_FILTER);
            return;
        }
        final ByteBuf out = sink.alloc().directBuffer(MessageType.datagramLength(p.type));
        final int base = codec.begin(out, p.type, p.requestId, p.originNodeId, selfId, nextTimestampUs());
        final int body = HeaderFlyweight.bodyIndex(base);
        switch (p.type) {
            case MessageType.CONNECT -> ConnectFlyweight.put(out, body, p.demandBandwidth, p.demandPps, p.hopCount);
            case MessageType.ACCEPT -> AcceptFlyweight.put(out, body, selfId, peers[selfIndex].sipAddress(), p.token);
            case MessageType.ALL_BUSY -> AllBusyFlyweight.put(out, body, p.hopCount);
            case MessageType.RELEASE -> ReleaseFlyweight.put(out, body, p.token);
            default -> throw unexpectedType(p.type);
        }
        codec.finish(out, base);
        write(out, p.destIndex);
    }

    private void sendAck(final long requestId, final int originNodeId, final int destIndex, final int ackedType) {
        if (!isOpen()) {
            return;
        }
        if (filter.drop(MessageType.ACK, peers[destIndex].nodeId())) {
            counters.increment(ClusterCounter.DROPPED_BY_FILTER);
            return;
        }
        final ByteBuf out = sink.alloc().directBuffer(MessageType.datagramLength(MessageType.ACK));
        final int base = codec.begin(out, MessageType.ACK, requestId, originNodeId, selfId, nextTimestampUs());
        AckFlyweight.put(out, HeaderFlyweight.bodyIndex(base), ackedType);
        codec.finish(out, base);
        write(out, destIndex);
    }

    private void write(final ByteBuf out, final int destIndex) {
        counters.increment(ClusterCounter.DATAGRAMS_SENT);
        sink.send(out, destIndex, peers[destIndex].controlAddress());
    }

    private boolean isOpen() {
        return sink != null && sink.isOpen();
    }

    /**
     * Strictly increasing microsecond timestamps anchored on the wall clock: every datagram this
     * node sends carries a newer stamp than the one before (see ReplayTable for why).
     */
    private long nextTimestampUs() {
        final long nowUs = epochMsClock.getAsLong() * 1_000L;
        lastTimestampUs = Math.max(nowUs, lastTimestampUs + 1);
        return lastTimestampUs;
    }

    private static IllegalStateException unexpectedType(final int type) {
        return new IllegalStateException("not a retransmitted message type: " + MessageType.name(type));
    }
}
