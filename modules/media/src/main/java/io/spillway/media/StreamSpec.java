package io.spillway.media;

/**
 * One media stream (one SDP m= line) of a session.
 *
 * @param type audio, video or other
 * @param clockRateHz RTP clock rate for jitter; 0 picks the type's default (8000 / 90000)
 * @param a the caller side
 * @param b the callee side
 */
public record StreamSpec(MediaType type, int clockRateHz, LegSpec a, LegSpec b) {
    public StreamSpec {
        if (type == null || a == null || b == null) {
            throw new IllegalArgumentException("stream type and both legs are required");
        }
        if (clockRateHz < 0) {
            throw new IllegalArgumentException("clockRateHz must be >= 0, was " + clockRateHz);
        }
    }

    /** A stream of {@code type} with both legs in {@code family}, no mux, default clock. */
    public static StreamSpec of(MediaType type, IpFamily family) {
        return new StreamSpec(type, 0, LegSpec.of(family), LegSpec.of(family));
    }

    /** The clock rate to use: the explicit one, else the type's default. */
    public int effectiveClockRateHz() {
        return clockRateHz != 0 ? clockRateHz : type.defaultClockRateHz();
    }

    public LegSpec leg(Leg leg) {
        return leg == Leg.A ? a : b;
    }
}
