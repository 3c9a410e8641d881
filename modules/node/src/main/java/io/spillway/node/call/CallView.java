package io.spillway.node.call;

import io.netty.util.NetUtil;
import io.spillway.media.DirectionStats;
import io.spillway.media.Leg;
import io.spillway.media.LegPorts;
import io.spillway.media.SessionPorts;
import io.spillway.media.SessionStats;
import io.spillway.media.StreamPorts;
import io.spillway.media.StreamStats;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One anchored call as {@code GET /calls} shows it (serialised by Jackson).
 *
 * @param callId the dialog's Call-ID
 * @param callerTag the caller's From tag
 * @param sessionId the relay session id, -1 before the first offer got ports
 * @param ageMs time since the first SDP of the call
 * @param idleMs time since the last relayed packet (-1 without a session)
 * @param streams one entry per m= line that has relay ports
 */
public record CallView(String callId, String callerTag, long sessionId, long ageMs, long idleMs,
                       List<StreamView> streams) {

    /**
     * One relayed stream.
     *
     * @param line the m= line index (0-based)
     * @param type audio, video or other
     * @param a the caller's leg
     * @param b the callee's leg
     */
    public record StreamView(int line, String type, LegView a, LegView b) {
    }

    /**
     * One leg and the direction that starts at it (what this leg's party sent).
     *
     * @param remote the party's address from SDP
     * @param latched the source the relay latched on (or the primed address), may be null
     * @param relayRtpPort the relay port the party sends RTP to
     * @param relayRtcpPort the relay port for RTCP (the RTP port with rtcp-mux)
     * @param rtcpMux whether the leg is muxed
     * @param packetsIn packets received from the party
     * @param bytesIn their bytes
     * @param packetsOut of those, packets relayed to the other party
     * @param bytesOut their bytes
     * @param drops packets dropped (every reason)
     * @param lost RTP packets lost (expected minus received)
     * @param jitterMicros RFC 3550 interarrival jitter in microseconds
     */
    public record LegView(String remote, String latched, int relayRtpPort, int relayRtcpPort, boolean rtcpMux,
                          long packetsIn, long bytesIn, long packetsOut, long bytesOut, long drops, long lost,
                          long jitterMicros) {
    }

    static CallView of(AnchoredCall call, SessionStats stats, long nowMs) {
        List<StreamView> streams = new ArrayList<>();
        SessionPorts ports = call.ports;
        int[] slots = call.slots.clone();
        AnchoredCall.Remote[][] remotes = call.remotes;
        if (ports != null) {
            for (int line = 0; line < slots.length; line++) {
                int slot = slots[line];
                if (slot < 0 || slot >= ports.streams().size()) {
                    continue;
                }
                StreamPorts sp = ports.stream(slot);
                StreamStats ss = stats != null && slot < stats.streams().size() ? stats.streams().get(slot) : null;
                AnchoredCall.Remote[] r = line < remotes.length ? remotes[line] : new AnchoredCall.Remote[2];
                streams.add(new StreamView(line, sp.type().name().toLowerCase(Locale.ROOT),
                    leg(sp.a(), r[Leg.A.ordinal()], ss == null ? null : ss.aToB()),
                    leg(sp.b(), r[Leg.B.ordinal()], ss == null ? null : ss.bToA())));
            }
        }
        return new CallView(call.key.callId(), call.key.callerTag(), call.sessionCreated ? call.sessionId : -1,
            nowMs - call.createdMs, stats == null ? -1 : stats.idleMs(), streams);
    }

    private static LegView leg(LegPorts ports, AnchoredCall.Remote primed, DirectionStats d) {
        InetSocketAddress remote = primed == null ? null : primed.rtp();
        String latched = d == null || d.latchedRtp() == null ? null : text(d.latchedRtp());
        long lost = d == null || d.rtp() == null ? 0 : d.rtp().lost();
        long jitter = d == null || d.rtp() == null ? 0 : d.rtp().jitterMicros();
        return new LegView(remote == null ? null : text(remote), latched, ports.rtpPort(), ports.rtcpPort(),
            ports.rtcpMux(), d == null ? 0 : d.packetsIn(), d == null ? 0 : d.bytesIn(),
            d == null ? 0 : d.packetsOut(), d == null ? 0 : d.bytesOut(), d == null ? 0 : d.totalDrops(), lost,
            jitter);
    }

    private static String text(InetSocketAddress a) {
        return NetUtil.toSocketAddressString(a);
    }
}
