package io.spillway.cluster;

import java.net.InetSocketAddress;

/**
 * The outcome of {@link ClusterNode#requestPlacement}: where the new call goes.
 *
 * <ul>
 *   <li>{@link Local}: this node reserved a slot; create the call here and consume the token.
 *   <li>{@link Remote}: another node reserved a slot; redirect the client there (302), carrying the
 *       token, which that node consumes when the redirected INVITE arrives.
 *   <li>{@link AllBusy}: every node of the sequence is over threshold (503 with Retry-After).
 *   <li>{@link TimedOut}: no answer within the chain deadline (treat like all busy).
 * </ul>
 */
public sealed interface Placement {
    /** This node took the call. */
    record Local(Reservation reservation) implements Placement {
    }

    /**
     * Another node took the call.
     *
     * @param nodeId the node that reserved the slot
     * @param nodeName its name from the sequence
     * @param sipAddress its SIP address, for the 302 Contact
     * @param token the reservation token (22 chars base64url), to travel in the Contact
     */
    record Remote(int nodeId, String nodeName, InetSocketAddress sipAddress, String token) implements Placement {
    }

    /**
     * Every node of the sequence is over threshold.
     *
     * @param hops how many nodes the request travelled through after the origin
     */
    record AllBusy(int hops) implements Placement {
    }

    /** The chain deadline passed without an answer. */
    record TimedOut() implements Placement {
    }
}
