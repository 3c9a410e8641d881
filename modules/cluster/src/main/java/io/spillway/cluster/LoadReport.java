package io.spillway.cluster;

/**
 * A workload report as carried by a LOAD heartbeat.
 *
 * @param nodeId the reporting node
 * @param activeCalls calls it relays
 * @param reservations its live reservations
 * @param bandwidthBytesPerSec its media bandwidth in+out
 * @param packetsPerSec its media packet rate in+out
 * @param full no room for one more call (or draining)
 * @param draining draining for shutdown
 * @param receivedAtNs when it arrived, on the receiver's {@code nowNs} clock
 */
public record LoadReport(
        int nodeId, long activeCalls, long reservations, long bandwidthBytesPerSec, long packetsPerSec,
        boolean full, boolean draining, long receivedAtNs) {
}
