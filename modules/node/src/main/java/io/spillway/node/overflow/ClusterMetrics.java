package io.spillway.node.overflow;

import io.spillway.cluster.ClusterCounter;
import io.spillway.cluster.ClusterCounters;
import io.spillway.cluster.ClusterNode;
import io.spillway.cluster.PeerStatus;
import io.spillway.node.metrics.Labels;
import io.spillway.node.metrics.MetricsRegistry;
import io.spillway.node.metrics.SummarySnapshot;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** Registers the cluster's and the overflow policy's metrics in the node registry. */
final class ClusterMetrics {
    private static final double[] QUANTILES = {0.5, 0.9, 0.99, 0.999};
    private static final double NS_PER_SECOND = 1e9;

    private ClusterMetrics() {
    }

    static void register(MetricsRegistry m, ClusterNode node, OverflowPolicy policy, AdmissionTable admissions,
                         Map<Integer, String> names) {
        ClusterCounters c = node.counters();
        for (OverflowOutcome o : OverflowOutcome.values()) {
            m.counter("spillway_overflow_decisions_total",
                "Initial INVITEs by decision: taken here (local, token), sent on (redirected, forwarded), refused"
                    + " with 503 (all_busy, timed_out, failed).",
                Labels.of("outcome", o.label()), () -> policy.count(o));
        }
        m.counter("spillway_overflow_tokens_rejected_total",
            "INVITEs whose reservation token was unknown, used or expired (placed afresh).", Labels.NONE,
            policy::tokensRejected);
        m.gauge("spillway_overflow_pending_admissions",
            "Calls admitted here whose relay session does not exist yet (they count in the workload).",
            admissions::pending);
        m.counter("spillway_overflow_admissions_expired_total",
            "Admitted calls never reported anchored or failed, stopped counting after the hold time.", Labels.NONE,
            admissions::expired);

        counter(m, c, "spillway_cluster_datagrams_sent_total", "Control datagrams sent, retransmissions included.",
            Labels.NONE, ClusterCounter.DATAGRAMS_SENT);
        counter(m, c, "spillway_cluster_datagrams_retransmitted_total", "Control datagrams sent again, unacknowledged.",
            Labels.NONE, ClusterCounter.DATAGRAMS_RETRANSMITTED);
        counter(m, c, "spillway_cluster_datagrams_received_total", "Control datagrams received, before any check.",
            Labels.NONE, ClusterCounter.DATAGRAMS_RECEIVED);
        counters(m, c, "spillway_cluster_datagrams_rejected_total", "Control datagrams dropped on receipt, by reason.",
            "reason", Map.entry("malformed", ClusterCounter.DROPPED_MALFORMED),
            Map.entry("bad_mac", ClusterCounter.DROPPED_BAD_MAC), Map.entry("stale", ClusterCounter.DROPPED_STALE),
            Map.entry("replay", ClusterCounter.DROPPED_REPLAY),
            Map.entry("unknown_peer", ClusterCounter.DROPPED_UNKNOWN_PEER),
            Map.entry("overload", ClusterCounter.DROPPED_OVERLOAD));
        counter(m, c, "spillway_cluster_duplicates_total", "Retransmitted control messages recognised and re-acked.",
            Labels.NONE, ClusterCounter.DUPLICATES);

        counters(m, c, "spillway_cluster_placements_total",
            "Placements this node requested (its own new calls), by where the chain put them.",
            "outcome", Map.entry("local", ClusterCounter.PLACED_LOCAL), Map.entry("remote", ClusterCounter.PLACED_REMOTE),
            Map.entry("all_busy", ClusterCounter.PLACED_ALL_BUSY),
            Map.entry("timed_out", ClusterCounter.PLACED_TIMED_OUT));
        counters(m, c, "spillway_cluster_connects_total", "CONNECTs from peers, by what this node did with them.",
            "action", Map.entry("accepted", ClusterCounter.CONNECTS_ACCEPTED),
            Map.entry("forwarded", ClusterCounter.CONNECTS_FORWARDED),
            Map.entry("all_busy", ClusterCounter.CONNECTS_ALL_BUSY));
        counters(m, c, "spillway_cluster_hops_skipped_total",
            "Next hops skipped: no acknowledgement in time, or the peer table said dead or full.",
            "reason", Map.entry("timeout", ClusterCounter.HOPS_SKIPPED_TIMEOUT),
            Map.entry("peer_table", ClusterCounter.HOPS_SKIPPED_PEER_TABLE));
        counters(m, c, "spillway_cluster_reservations_total",
            "Reservations (slots held for a coming call) on this node, by event.",
            "event", Map.entry("made", ClusterCounter.RESERVATIONS_MADE),
            Map.entry("consumed", ClusterCounter.RESERVATIONS_CONSUMED),
            Map.entry("expired", ClusterCounter.RESERVATIONS_EXPIRED),
            Map.entry("released", ClusterCounter.RESERVATIONS_RELEASED));
        counter(m, c, "spillway_cluster_releases_sent_total", "RELEASEs sent for ACCEPTs this origin could not use.",
            Labels.NONE, ClusterCounter.RELEASES_SENT);
        m.gauge("spillway_cluster_reservations", "Live reservations on this node.", node::reservedCalls);
        m.gauge("spillway_cluster_full", "1 when this node has no room for one more call (or drains).",
            () -> node.isFull() ? 1 : 0);
        m.summary("spillway_cluster_decision_latency_seconds",
            "Time from a placement request to its answer (local room, or the chain's ACCEPT or ALL_BUSY), since start.",
            Labels.NONE, () -> latency(node.decisionLatencyNs()));
        for (PeerStatus p : node.peers()) {
            int wireId = p.peer().nodeId();
            Labels peer = Labels.of("peer", names.getOrDefault(wireId, Integer.toString(wireId)));
            m.gauge("spillway_cluster_peer_up", "1 when the peer was heard from within the dead-after time.", peer,
                () -> status(node, wireId) != null && status(node, wireId).alive() ? 1 : 0);
            m.gauge("spillway_cluster_peer_full", "1 when the peer's last LOAD said it had no room.", peer, () -> {
                PeerStatus s = status(node, wireId);
                return s != null && s.lastLoad() != null && s.lastLoad().full() ? 1 : 0;
            });
        }
    }

    private static void counter(MetricsRegistry m, ClusterCounters c, String name, String help, Labels labels,
                                ClusterCounter counter) {
        m.counter(name, help, labels, () -> c.get(counter));
    }

    /** One counter family, one series per {@code label} value, in the order given. */
    @SafeVarargs
    private static void counters(MetricsRegistry m, ClusterCounters c, String name, String help, String label,
                                 Map.Entry<String, ClusterCounter>... byValue) {
        for (Map.Entry<String, ClusterCounter> e : byValue) {
            counter(m, c, name, help, Labels.of(label, e.getKey()), e.getValue());
        }
    }

    private static PeerStatus status(ClusterNode node, int wireId) {
        for (PeerStatus p : node.peers()) {
            if (p.peer().nodeId() == wireId) {
                return p;
            }
        }
        return null;
    }

    static SummarySnapshot latency(Histogram h) {
        double[] values = new double[QUANTILES.length];
        for (int i = 0; i < QUANTILES.length; i++) {
            values[i] = h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(QUANTILES[i] * 100) / NS_PER_SECOND;
        }
        double sum = h.getTotalCount() == 0 ? 0 : h.getMean() * h.getTotalCount() / NS_PER_SECOND;
        return new SummarySnapshot(QUANTILES, values, h.getTotalCount(), sum);
    }
}
