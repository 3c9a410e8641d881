package io.spillway.cluster;

/**
 * A peer as this node sees it, for {@code /cluster} and {@code /health}.
 *
 * @param peer the configured peer
 * @param alive heard from (any authenticated datagram) within {@code peerDeadAfterMs}
 * @param lastSeenAgoMs milliseconds since the last authenticated datagram from it (since start
 *     when never heard from)
 * @param everSeen whether anything was ever heard from it
 * @param lastLoad its last LOAD heartbeat, or null when none arrived
 */
public record PeerStatus(PeerSpec peer, boolean alive, long lastSeenAgoMs, boolean everSeen, LoadReport lastLoad) {
}
