package io.spillway.media;

/**
 * How a leg learns and trusts its remote address.
 *
 * @param strictSource after latching, drop packets from any other source (counted)
 * @param handoverSilenceMs when above 0, re-latch to a new source once the latched one has been
 *     silent this long (media handover, e.g. a phone changing network); 0 turns it off
 * @param asymmetric accept packets from any source and always send to the address primed from
 *     SDP (for endpoints that send from one port and receive on another)
 */
public record LatchingMode(boolean strictSource, long handoverSilenceMs, boolean asymmetric) {
    /** Strict source, no handover, symmetric: the production default. */
    public static final LatchingMode DEFAULT = new LatchingMode(true, 0, false);

    public LatchingMode {
        if (handoverSilenceMs < 0) {
            throw new IllegalArgumentException(
                "media.latching.handoverSilenceMs must be >= 0, was " + handoverSilenceMs);
        }
    }
}
