package io.spillway.media;

/**
 * The node's media workload for the cluster's threshold decisions, summed over all event loops.
 *
 * @param activeSessions sessions live now (including ones being created)
 * @param bytesInPerSec received over the last 1 s windows
 * @param bytesOutPerSec sent over the last 1 s windows
 * @param packetsInPerSec received over the last 1 s windows
 * @param packetsOutPerSec sent over the last 1 s windows
 * @param portPairsInUse port pairs bound by sessions
 * @param portPairsFree port pairs available now (not in use, not quarantined)
 */
public record WorkloadSnapshot(int activeSessions, long bytesInPerSec, long bytesOutPerSec,
                               long packetsInPerSec, long packetsOutPerSec, int portPairsInUse,
                               int portPairsFree) {
    /** In plus out. */
    public long bandwidthBytesPerSec() {
        return bytesInPerSec + bytesOutPerSec;
    }

    /** In plus out. */
    public long packetsPerSec() {
        return packetsInPerSec + packetsOutPerSec;
    }
}
