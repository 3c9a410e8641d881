package io.spillway.media.relay;

import io.netty.channel.Channel;

import java.net.InetSocketAddress;

/**
 * One relay socket of a leg (its RTP port, or its RTCP port) and what it knows of the party on the
 * far side: the primed (SDP) address, the latched source and when it was last heard from.
 */
public final class RelayEndpoint {
    private final RelayLeg leg;
    private final boolean rtcpPort;
    private Channel channel;
    private int port;
    /** Where packets for this party go: the primed address until latched, then the source. */
    private volatile InetSocketAddress remote;
    private InetSocketAddress primed;
    private boolean latched;
    private long lastRxNs;

    RelayEndpoint(RelayLeg leg, boolean rtcpPort) {
        this.leg = leg;
        this.rtcpPort = rtcpPort;
    }

    public RelayLeg leg() {
        return leg;
    }

    /** True for a dedicated RTCP port; a muxed leg has only its RTP endpoint. */
    public boolean isRtcpPort() {
        return rtcpPort;
    }

    public Channel channel() {
        return channel;
    }

    public int port() {
        return port;
    }

    public InetSocketAddress remote() {
        return remote;
    }

    public boolean isLatched() {
        return latched;
    }

    void attach(Channel channel, int port) {
        this.channel = channel;
        this.port = port;
    }

    /**
     * Sets the SDP address; takes effect for sending until (or unless) the leg latches. A new
     * address that differs from the one primed before (the party moved its media in a re-INVITE
     * or UPDATE) also drops the latch, so the next packet from anywhere latches again: under strict
     * source the party's new address would otherwise be dropped for good. The same address again
     * (a refresh), or a first address for a leg learnt by latching, keeps the latch.
     */
    public void prime(InetSocketAddress address) {
        if (latched && primed != null && !primed.equals(address)) {
            latched = false;
        }
        primed = address;
        if (!latched || leg.stream().session().isAsymmetric()) {
            remote = address;
        }
    }

    /**
     * Source check for a packet from {@code sender} under the session's latching mode.
     *
     * @return false when the packet must be dropped as from an unlatched source
     */
    boolean acceptSource(InetSocketAddress sender, long nowNs, RelaySession session) {
        if (session.isAsymmetric()) {
            if (remote == null) {
                remote = sender;
            }
            lastRxNs = nowNs;
            return true;
        }
        if (!latched) {
            latch(sender, nowNs);
            return true;
        }
        InetSocketAddress current = remote;
        if (current.getPort() == sender.getPort() && current.getAddress().equals(sender.getAddress())) {
            lastRxNs = nowNs;
            return true;
        }
        long handoverNs = session.handoverNs();
        if ((handoverNs > 0 && nowNs - lastRxNs - handoverNs >= 0) || !session.isStrictSource()) {
            latch(sender, nowNs);
            leg.countRelatch();
            return true;
        }
        return false;
    }

    private void latch(InetSocketAddress sender, long nowNs) {
        remote = sender;
        latched = true;
        lastRxNs = nowNs;
    }

    /** Re-applies the primed address after a mode change to asymmetric. */
    void onLatchingModeChanged(boolean asymmetric) {
        if (asymmetric && primed != null) {
            remote = primed;
        }
    }

    void detach() {
        channel = null;
    }
}
