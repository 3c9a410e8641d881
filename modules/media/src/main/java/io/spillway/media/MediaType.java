package io.spillway.media;

/** The kind of an SDP m= line; picks the default RTP clock rate used for jitter. */
public enum MediaType {
    AUDIO(8000),
    VIDEO(90000),
    OTHER(8000);

    private final int defaultClockRateHz;

    MediaType(int defaultClockRateHz) {
        this.defaultClockRateHz = defaultClockRateHz;
    }

    public int defaultClockRateHz() {
        return defaultClockRateHz;
    }
}
