package io.spillway.node.ng;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * One relayed media stream (one SDP {@code m=} line) as the relay holds it: a local port pair per
 * leg. Implementations must be safe to call from the ng control thread while the relay forwards on
 * its own event loops.
 */
public interface NgRelayStream {

    /** The relay address written into the SDP sent to the party of {@code leg}. */
    InetAddress advertisedAddress(NgLeg leg);

    /** The local RTP port Spillway advertises to the party of {@code leg}. */
    int localRtpPort(NgLeg leg);

    /** The local RTCP port for {@code leg} (the RTP port when RTCP is multiplexed). */
    int localRtcpPort(NgLeg leg);

    /**
     * Sets where the party of {@code leg} expects to receive media, from its SDP.
     *
     * @param rtp the party's RTP address and port
     * @param rtcp the party's RTCP address and port (equal to {@code rtp} when muxed)
     * @param rtcpMux RTP and RTCP share one port towards this party
     * @param options latching and source checking for this leg
     * @throws NgBackendException when the relay did not take the change (stream ended, engine stopping)
     */
    void setRemote(NgLeg leg, InetSocketAddress rtp, InetSocketAddress rtcp, boolean rtcpMux,
                   NgMediaOptions options) throws NgBackendException;

    /** What the relay received from the party of {@code leg}. */
    NgStreamStats stats(NgLeg leg);

    /**
     * True once the relay ended the stream by itself (media timeout, maximum duration, engine stop);
     * the ng port then forgets the call, as rtpengine does on a media timeout.
     */
    boolean endedByRelay();

    /** Stops relaying and frees the ports; idempotent. */
    void close();
}
