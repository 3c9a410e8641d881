package io.spillway.node.call;

import io.spillway.media.Leg;
import io.spillway.media.LegPorts;
import io.spillway.media.SessionPorts;
import io.spillway.sip.sdp.SdpMedia;
import io.spillway.sip.sdp.SdpSession;
import java.util.List;
import java.util.Set;

/**
 * Points an SDP offer or answer at the relay: the session- and media-level {@code c=} at the
 * advertised address, every enabled {@code m=} at the relay RTP port of the leg facing the
 * receiver, {@code a=rtcp} at its RTCP port, {@code a=rtcp-mux} as negotiated; the ICE attributes
 * are dropped ({@link #ICE_ATTRIBUTES}). No I/O, no state.
 */
final class SdpAnchorRewriter {
    /**
     * The ICE attributes of RFC 8839 (and {@code end-of-candidates}, RFC 8840), session or media
     * level. Candidates name the party's own addresses, which the relay hides: forwarded, they would
     * let the peers run ICE past the relay, or fail checks against ports no one answers. The relay
     * address in c=/m= is the only path offered, as rtpengine does by default.
     */
    static final Set<String> ICE_ATTRIBUTES = Set.of("candidate", "remote-candidates", "end-of-candidates",
        "ice-ufrag", "ice-pwd", "ice-options", "ice-lite", "ice-mismatch", "ice-pacing");

    private SdpAnchorRewriter() {
    }

    /**
     * Rewrites {@code sdp} in place for the party on leg {@code towards}.
     *
     * @param slots engine stream index per m= line, -1 for a line without relay ports
     * @param mux per m= line: whether the receiving leg is (offer: may become) rtcp-muxed
     * @param offer true for an offer: a muxed stream still advertises its fallback RTCP port
     *     (RFC 5761 5.1.3); an answer with mux advertises the RTP port in a=rtcp
     */
    static byte[] rewrite(SdpSession sdp, String address, int[] slots, boolean[] mux,
                          SessionPorts ports, Leg towards, boolean offer) {
        sdp.removeAttributes(ICE_ATTRIBUTES);
        List<SdpMedia> media = sdp.media();
        for (int i = 0; i < media.size(); i++) {
            SdpMedia m = media.get(i);
            m.removeAttributes(ICE_ATTRIBUTES);
            int slot = i < slots.length ? slots[i] : -1;
            if (m.isDisabled() || slot < 0 || ports == null) {
                m.setPort(0);
                continue;
            }
            LegPorts leg = ports.stream(slot).leg(towards);
            int rtpPort = leg.rtpPort();
            m.setPort(rtpPort);
            boolean muxed = i < mux.length && mux[i];
            m.setRtcpMux(muxed);
            m.setRtcp(muxed && !offer ? rtpPort : rtpPort + 1, null);
        }
        sdp.setConnectionAddress(address, false);
        return sdp.toBytes();
    }
}
