package io.spillway.node.call;

import io.spillway.media.Leg;
import io.spillway.media.SessionPorts;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;

/**
 * The media state of one anchored call: its relay session, which engine stream serves each m= line,
 * the offer/answer in progress and the remotes learnt from SDP. Operations on one call are chained
 * ({@link #tail}), so its fields are only touched by one task at a time, whatever thread runs it.
 */
final class AnchoredCall {
    final CallKey key;
    final long sessionId;
    final long createdMs;
    /** The end of the chain of operations on this call; guarded by {@code this}. */
    CompletableFuture<?> tail = CompletableFuture.completedFuture(null);
    /** True once the engine session exists (the first offer with an enabled stream got its ports). */
    volatile boolean sessionCreated;
    volatile boolean released;
    /** The ports of every engine stream, as last returned by the engine. */
    volatile SessionPorts ports;
    /** Engine stream index per m= line, -1 for a line that never had ports. */
    int[] slots = new int[0];
    /** Per m= line: the offerer asked for rtcp-mux in the last offer. */
    boolean[] offeredMux = new boolean[0];
    /** Per m= line and leg: the remote addresses primed from SDP now (the view shows their RTP). */
    volatile Remote[][] remotes = new Remote[0][];
    /**
     * Per m= line and leg: the remotes of the last completed offer/answer. An offer primes its
     * remotes at once (media may flow before the answer); if it fails, these are primed again.
     */
    Remote[][] agreed = new Remote[0][];
    /** The o= versions of the SDPs forwarded from the caller (index 0) and from the callee (1). */
    final OriginVersions[] versions = {new OriginVersions(), new OriginVersions()};
    /** The last offer: who made it, in which transaction, and whether it still awaits its answer. */
    boolean offerFromCaller;
    long offerCseq = -1;
    String offerMethod = "";
    boolean offerPending;

    AnchoredCall(CallKey key, long sessionId, long createdMs) {
        this.key = key;
        this.sessionId = sessionId;
        this.createdMs = createdMs;
    }

    /** Makes room for {@code count} m= lines. */
    void ensureLines(int count) {
        if (slots.length >= count) {
            return;
        }
        int old = slots.length;
        slots = Arrays.copyOf(slots, count);
        Arrays.fill(slots, old, count, -1);
        offeredMux = Arrays.copyOf(offeredMux, count);
        Remote[][] r = Arrays.copyOf(remotes, count);
        for (int i = old; i < count; i++) {
            r[i] = new Remote[2];
        }
        remotes = r;
    }

    void remote(int line, Leg leg, Remote remote) {
        remotes[line][leg.ordinal()] = remote;
    }

    /** The offer/answer completed: what is primed now is what both sides agreed on. */
    void commit() {
        Remote[][] now = remotes;
        Remote[][] copy = new Remote[now.length][];
        for (int i = 0; i < now.length; i++) {
            copy[i] = now[i].clone();
        }
        agreed = copy;
    }

    /**
     * The remote RTP (and RTCP, null for RTP port + 1) addresses of one leg, as primed from SDP.
     */
    record Remote(InetSocketAddress rtp, InetSocketAddress rtcp) {
    }

    /** The number of engine streams bound so far. */
    int engineStreams() {
        SessionPorts p = ports;
        return p == null ? 0 : p.streams().size();
    }
}
