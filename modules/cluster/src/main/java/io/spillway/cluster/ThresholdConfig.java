package io.spillway.cluster;

/**
 * A node's workload thresholds. Each limit is optional ({@link #UNLIMITED}, i.e. 0, means not
 * configured); at least one must be set. A node has "room for one more call" when, for every
 * configured limit, {@code current + reserved + demand <= limit}, where the demand of a call is one
 * call, plus {@link #perCallDemand} bandwidth and packet rate (or the demand the request carries).
 *
 * <p>Hysteresis: once a node finds no room it counts as full until there is room for one more call
 * under every limit lowered by the factor {@code (1 - hysteresis)}; a node at the edge therefore
 * does not flap between full and not full with every call that starts or ends.
 *
 * @param maxCalls concurrent calls plus reservations, or 0
 * @param maxBandwidthBytesPerSec media bytes/s in+out, or 0
 * @param maxPacketsPerSec media packets/s in+out, or 0
 * @param perCallDemand expected demand of one call (used when a request carries none)
 * @param hysteresis fraction in [0, 1), e.g. 0.05
 */
public record ThresholdConfig(
        long maxCalls, long maxBandwidthBytesPerSec, long maxPacketsPerSec,
        CallDemand perCallDemand, double hysteresis) {

    /** Value of a limit that is not configured. */
    public static final long UNLIMITED = 0;

    /** Validates; messages name the offending field. */
    public ThresholdConfig {
        requireNonNegative("maxCalls", maxCalls);
        requireNonNegative("maxBandwidthBytesPerSec", maxBandwidthBytesPerSec);
        requireNonNegative("maxPacketsPerSec", maxPacketsPerSec);
        if (maxCalls == UNLIMITED && maxBandwidthBytesPerSec == UNLIMITED
            && maxPacketsPerSec == UNLIMITED) {
            throw new IllegalArgumentException(
                "maxCalls, maxBandwidthBytesPerSec, maxPacketsPerSec: at least one limit must be set");
        }
        if (perCallDemand == null) {
            throw new IllegalArgumentException("perCallDemand must not be null");
        }
        if (!(hysteresis >= 0.0 && hysteresis < 1.0)) {
            throw new IllegalArgumentException("hysteresis must be in [0, 1) (was " + hysteresis + ")");
        }
    }

    /** @return a call-count-only threshold without hysteresis */
    public static ThresholdConfig ofCalls(final long maxCalls) {
        return new ThresholdConfig(maxCalls, UNLIMITED, UNLIMITED, CallDemand.NONE, 0.0);
    }

    /** @return a copy with another hysteresis */
    public ThresholdConfig withHysteresis(final double newHysteresis) {
        return new ThresholdConfig(
            maxCalls, maxBandwidthBytesPerSec, maxPacketsPerSec, perCallDemand, newHysteresis);
    }

    private static void requireNonNegative(final String field, final long value) {
        if (value < 0) {
            throw new IllegalArgumentException(field + " must be >= 0, 0 = no limit (was " + value + ")");
        }
    }
}
