package io.spillway.cluster;

import java.util.Random;

/**
 * Fault injection for tests and simulations: consulted on the send path for every control
 * datagram; returning true drops it (counted as {@link ClusterCounter#DROPPED_BY_FILTER}). The
 * production default, {@link #NONE}, drops nothing. Called only on the node's control loop.
 */
@FunctionalInterface
public interface DatagramFilter {
    /** Drops nothing. */
    DatagramFilter NONE = (type, destinationNodeId) -> false;

    /**
     * @param type the message type about to be sent
     * @param destinationNodeId where it goes
     * @return true to drop it
     */
    boolean drop(int type, int destinationNodeId);

    /**
     * @param probability chance to drop each datagram, 0..1
     * @param seed seed of the {@link Random}, for reproducible runs
     * @return a filter that drops datagrams at random
     */
    static DatagramFilter randomDrop(final double probability, final long seed) {
        final Random random = new Random(seed);
        return (type, destinationNodeId) -> random.nextDouble() < probability;
    }
}
