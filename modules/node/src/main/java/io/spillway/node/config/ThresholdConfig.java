package io.spillway.node.config;

/**
 * {@code [cluster.thresholds]}: the workload limits. A node is below threshold only when every
 * configured limit has room for one more call; 0 means "no limit". Reloadable with SIGHUP.
 *
 * @param maxCalls                 concurrent (active + reserved) calls
 * @param maxBandwidthBytesPerSec  relayed media bytes per second, in plus out
 * @param maxPacketsPerSec         relayed media packets per second, in plus out
 * @param hysteresisPercent        once full, the node reports room again only below
 *                                 {@code limit * (100 - hysteresis) / 100}, so it does not flap
 * @param callBandwidthBytesPerSec expected media bytes/s (in plus out) of one new call, held against
 *                                 the bandwidth limit from admission until the call's media is measured;
 *                                 0: only measured rates count
 * @param callPacketsPerSec        the same for packets/s
 */
public record ThresholdConfig(long maxCalls, long maxBandwidthBytesPerSec, long maxPacketsPerSec,
                              int hysteresisPercent, long callBandwidthBytesPerSec, long callPacketsPerSec) {
    public ThresholdConfig {
        Validate.range("max_calls", maxCalls, 0, 10_000_000);
        Validate.range("max_bandwidth_bytes_per_sec", maxBandwidthBytesPerSec, 0, Long.MAX_VALUE / 2);
        Validate.range("max_packets_per_sec", maxPacketsPerSec, 0, Long.MAX_VALUE / 2);
        Validate.range("hysteresis_percent", hysteresisPercent, 0, 50);
        Validate.range("call_bandwidth_bytes_per_sec", callBandwidthBytesPerSec, 0, 0xFFFF_FFFFL);
        Validate.range("call_packets_per_sec", callPacketsPerSec, 0, 0xFFFF_FFFFL);
    }
}
