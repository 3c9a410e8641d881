package io.spillway.media;

/**
 * Told when the engine ends a session by itself (timeouts, engine stop); not called for
 * {@link RelayEngine#deleteSession}. Runs on the session's event loop: must return quickly and
 * never block (hand work to another executor).
 */
@FunctionalInterface
public interface SessionListener {
    /** A listener that ignores everything. */
    SessionListener NONE = (stats, reason) -> { };

    /**
     * @param finalStats the session's counters at the moment it ended (ports already freed)
     * @param reason why it ended
     */
    void onSessionClosed(SessionStats finalStats, CloseReason reason);
}
