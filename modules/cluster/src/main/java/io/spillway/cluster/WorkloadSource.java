package io.spillway.cluster;

/**
 * The node's measured workload, as the cluster module sees it. The node implements this over its
 * media engine's counters; the cluster module adds its own live reservations on top.
 *
 * <p>Called from any thread (admission runs on the caller of
 * {@link ClusterNode#requestPlacement} and on the control event loop), so implementations must be
 * cheap, non-blocking and safe to read concurrently (plain reads of counters maintained elsewhere).
 */
public interface WorkloadSource {
    /**
     * @return calls currently relayed by this node, including calls whose reservation was consumed
     *     (see {@link ClusterNode#consumeReservation} for the hand-off)
     */
    long activeCalls();

    /** @return media bandwidth, bytes per second in plus out, over the last complete 1 s window */
    long bandwidthBytesPerSec();

    /** @return media packets per second in plus out, over the last complete 1 s window */
    long packetsPerSec();

    /**
     * A workload fixed at {@code calls} calls and no media traffic: for a node without a media relay
     * ({@code 0}), simulations and tests.
     */
    static WorkloadSource ofCalls(long calls) {
        return new FixedWorkload(calls);
    }
}
