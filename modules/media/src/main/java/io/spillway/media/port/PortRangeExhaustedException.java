package io.spillway.media.port;

/** No port pair could be allocated: the whole range is in use or quarantined. */
public final class PortRangeExhaustedException extends RuntimeException {
    public PortRangeExhaustedException(String message) {
        super(message, null, false, false);
    }
}
