package io.spillway.media;

/** Why a session ended. */
public enum CloseReason {
    /** The control plane deleted it. */
    DELETED,
    /** No packet in either direction for the inactivity timeout. */
    INACTIVITY_TIMEOUT,
    /** It reached the configured maximum call duration. */
    MAX_DURATION,
    /** The engine was stopped. */
    ENGINE_STOPPED
}
