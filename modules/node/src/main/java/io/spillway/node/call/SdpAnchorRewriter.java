package io.spillway.node.call;

import io.spillway.media.Leg;
import io.spillway.media.LegPorts;
import io.spillway.media.SessionPorts;
import io.spillway.sip.sdp.SdpMedia;
import io.spillway.sip.sdp.SdpSession;
import java.util.List;

/**
 * Points an SDP offer or answer at the relay: the session- and media-level {@code c=} at the
 * advertised address, every enabled {@code m=} at the relay RTP port of the leg facing the
 * receiver, {@code a=rtcp} at its RTCP port, {@code a=rtcp-mux} as negotiated. No I/O, no state.
 */
final class SdpAnchorRewriter {
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
        List<SdpMedia> media = sdp.media();
        for (int i = 0; i < media.size(); i++) {
            SdpMedia m = media.get(i);
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
