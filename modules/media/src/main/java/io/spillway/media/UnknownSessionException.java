package io.spillway.media;

/** An operation named a session id the engine does not have (never created, or ended). */
public final class UnknownSessionException extends RuntimeException {
    public UnknownSessionException(long sessionId) {
        super("no relay session with id " + sessionId, null, false, false);
    }
}
