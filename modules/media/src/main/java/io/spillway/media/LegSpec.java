package io.spillway.media;

import java.net.InetSocketAddress;

/**
 * What the control plane knows about one leg when it asks for ports.
 *
 * @param family address family to bind the relay ports in
 * @param rtcpMux true: RTP and RTCP share one port (RFC 5761)
 * @param remoteRtp the RTP address from SDP, or null until known; used until the leg latches
 * @param remoteRtcp the RTCP address from SDP (a=rtcp), or null for remoteRtp's port + 1
 */
public record LegSpec(IpFamily family, boolean rtcpMux, InetSocketAddress remoteRtp,
                      InetSocketAddress remoteRtcp) {
    public LegSpec {
        if (family == null) {
            throw new IllegalArgumentException("leg family must not be null");
        }
    }

    /** A leg of {@code family}, without rtcp-mux, remote not yet known. */
    public static LegSpec of(IpFamily family) {
        return new LegSpec(family, false, null, null);
    }

    public LegSpec withRtcpMux(boolean mux) {
        return new LegSpec(family, mux, remoteRtp, remoteRtcp);
    }

    public LegSpec withRemote(InetSocketAddress rtp) {
        return new LegSpec(family, rtcpMux, rtp, remoteRtcp);
    }
}
