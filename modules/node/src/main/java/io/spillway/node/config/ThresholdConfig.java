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
 */
public record ThresholdConfig(long maxCalls, long maxBandwidthBytesPerSec, long maxPacketsPerSec,
                              int hysteresisPercent) {
    public ThresholdConfig {
        Validate.range("max_calls", maxCalls, 0, 10_000_000);
        Validate.range("max_bandwidth_bytes_per_sec", maxBandwidthBytesPerSec, 0, Long.MAX_VALUE / 2);
        Validate.range("max_packets_per_sec", maxPacketsPerSec, 0, Long.MAX_VALUE / 2);
        Validate.range("hysteresis_percent", hysteresisPercent, 0, 50);
    }
}
