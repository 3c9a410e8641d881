package io.spillway.cluster;

/**
 * A slot reserved on a node for one call: a lease that expires unless consumed.
 *
 * @param token unguessable token, 22 chars base64url (16 random bytes)
 * @param nodeId the node holding the reservation
 * @param demand what the reservation holds back
 * @param expiresAtNs when the lease expires, on the node's {@code nowNs} clock
 */
public record Reservation(String token, int nodeId, CallDemand demand, long expiresAtNs) {
}
