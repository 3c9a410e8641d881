package io.spillway.cluster;

import java.util.Locale;

/** The counters a {@link ClusterNode} keeps; {@link #metricName()} suits Prometheus. */
public enum ClusterCounter {
    /** Control datagrams sent (first transmissions and retransmissions). */
    DATAGRAMS_SENT,
    /** Of those, retransmissions. */
    DATAGRAMS_RETRANSMITTED,
    /** Control datagrams received (before any check). */
    DATAGRAMS_RECEIVED,
    /** Dropped: bad length, magic, version or type. */
    DROPPED_MALFORMED,
    /** Dropped: MAC mismatch (forged, corrupted, wrong secret). */
    DROPPED_BAD_MAC,
    /** Dropped: timestamp outside the replay window. */
    DROPPED_STALE,
    /** Dropped: copy of a datagram already accepted. */
    DROPPED_REPLAY,
    /** Dropped: valid MAC but the sender id is not a peer of the sequence (or is this node). */
    DROPPED_UNKNOWN_PEER,
    /** Dropped: the replay table was full. */
    DROPPED_OVERLOAD,
    /** Not sent: the fault-injection filter dropped it. */
    DROPPED_BY_FILTER,
    /** Retransmitted messages recognised as duplicates (re-acked, not processed again). */
    DUPLICATES,
    /** Placements this node requested that were taken here. */
    PLACED_LOCAL,
    /** Placements this node requested that were taken by another node. */
    PLACED_REMOTE,
    /** Placements this node requested that ended all busy. */
    PLACED_ALL_BUSY,
    /** Placements this node requested that timed out. */
    PLACED_TIMED_OUT,
    /** CONNECTs from peers that this node accepted (reserved for another origin). */
    CONNECTS_ACCEPTED,
    /** CONNECTs this node forwarded on (over threshold). */
    CONNECTS_FORWARDED,
    /** CONNECTs this node answered ALL_BUSY (last of the sequence). */
    CONNECTS_ALL_BUSY,
    /** Next hops skipped because they did not acknowledge in time. */
    HOPS_SKIPPED_TIMEOUT,
    /** Next hops skipped because heartbeats said dead or full. */
    HOPS_SKIPPED_PEER_TABLE,
    /** Reservations made (local and for other origins). */
    RESERVATIONS_MADE,
    /** Reservations consumed by an arriving call. */
    RESERVATIONS_CONSUMED,
    /** Reservations that expired unconsumed. */
    RESERVATIONS_EXPIRED,
    /** Reservations freed by RELEASE, by the API, or because the origin never acknowledged. */
    RESERVATIONS_RELEASED,
    /** RELEASEs this origin sent for ACCEPTs it could not use. */
    RELEASES_SENT;

    /** @return e.g. {@code spillway_cluster_dropped_bad_mac_total} */
    public String metricName() {
        return "spillway_cluster_" + name().toLowerCase(Locale.ROOT) + "_total";
    }
}
