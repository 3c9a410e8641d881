package io.spillway.node.gateway;

import java.util.Locale;

/** Why the gateway dropped a datagram, closed a connection or refused a request; the {@code reason} label. */
public enum GatewayDropReason {
    /** The source is in the listener's deny list. */
    DENIED,
    /** The listener has an allow list and the source is not in it. */
    NOT_ALLOWED,
    /** The source is blocked after repeated authentication failures. */
    BLOCKED,
    /** The source exceeded its request rate (token bucket empty). */
    RATE_LIMITED,
    /** The source has too many TCP connections open. */
    TOO_MANY_CONNECTIONS,
    /** A TCP connection sent nothing for the idle timeout. */
    IDLE_TIMEOUT,
    /** A request without credentials was challenged (401/407). */
    CHALLENGED,
    /** A request's credentials were wrong (403). */
    AUTH_FAILED,
    /** The rate table was full of active sources and the shared overflow bucket was empty. */
    TABLE_FULL;

    /** The label value: lower case. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
