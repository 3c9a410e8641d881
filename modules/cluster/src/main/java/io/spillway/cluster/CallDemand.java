package io.spillway.cluster;

/**
 * What one call is expected to add to a node's workload: one call, plus this much bandwidth and
 * packet rate (in plus out). Used in the "room for one more call" check and carried in CONNECT.
 *
 * @param bandwidthBytesPerSec expected media bandwidth of the call, bytes/s in+out, 0..2^32-1
 * @param packetsPerSec expected media packets/s of the call in+out, 0..2^32-1
 */
public record CallDemand(long bandwidthBytesPerSec, long packetsPerSec) {
    /** A call whose media is not accounted (only the call count matters). */
    public static final CallDemand NONE = new CallDemand(0, 0);

    private static final long MAX_U32 = 0xFFFF_FFFFL;

    /** Validates the ranges that fit the wire format. */
    public CallDemand {
        if (bandwidthBytesPerSec < 0 || bandwidthBytesPerSec > MAX_U32) {
            throw new IllegalArgumentException(
                "bandwidthBytesPerSec must be in 0.." + MAX_U32 + " (was " + bandwidthBytesPerSec + ")");
        }
        if (packetsPerSec < 0 || packetsPerSec > MAX_U32) {
            throw new IllegalArgumentException(
                "packetsPerSec must be in 0.." + MAX_U32 + " (was " + packetsPerSec + ")");
        }
    }
}
