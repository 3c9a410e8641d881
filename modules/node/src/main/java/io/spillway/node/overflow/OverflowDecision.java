package io.spillway.node.overflow;

/**
 * What the proxy does with an initial INVITE, as decided by {@link OverflowPolicy#decide}.
 *
 * <ul>
 *   <li>{@link Admit}: this node takes the call. Route it with {@link Admit#requestUri()} (the
 *       reservation token removed) and close {@link Admit#ticket()} once its relay session exists or
 *       the call fails.
 *   <li>{@link Redirect}: answer {@code 302 Moved Temporarily} with {@code Contact: <contactUri>}
 *       (redirect mode; {@link OverflowPolicy#response} builds it).
 *   <li>{@link Forward}: proxy mode; forward the INVITE to {@link Forward#targetUri()} (set it as the
 *       Request-URI and send it to {@link Forward#nodeSipAddress()}) without anchoring its media here:
 *       the chosen node anchors it.
 *   <li>{@link Reject}: answer {@code 503 Service Unavailable} with {@code Retry-After}
 *       ({@link OverflowPolicy#response} builds it).
 * </ul>
 */
public sealed interface OverflowDecision {
    /** The {@link OverflowOutcome} this decision is counted as. */
    OverflowOutcome outcome();

    /**
     * This node takes the call.
     *
     * @param requestUri the Request-URI to route, without the reservation token
     * @param ticket counts the call until its relay session exists; close it then (or on failure)
     * @param outcome {@link OverflowOutcome#LOCAL} or {@link OverflowOutcome#TOKEN}
     */
    record Admit(String requestUri, AdmissionTicket ticket, OverflowOutcome outcome) implements OverflowDecision {
    }

    /**
     * Another node took the call; tell the client (302).
     *
     * @param contactUri the Contact of the 302: the same user at the chosen node, with its token
     * @param nodeId the chosen node's id
     */
    record Redirect(String contactUri, String nodeId) implements OverflowDecision {
        @Override
        public OverflowOutcome outcome() {
            return OverflowOutcome.REDIRECTED;
        }
    }

    /**
     * Another node took the call; forward the INVITE there (proxy mode).
     *
     * @param targetUri the new Request-URI: the same user at the chosen node, with its token
     * @param nodeSipAddress where to send it, {@code host:port} (IPv6 in brackets)
     * @param nodeId the chosen node's id
     */
    record Forward(String targetUri, String nodeSipAddress, String nodeId) implements OverflowDecision {
        @Override
        public OverflowOutcome outcome() {
            return OverflowOutcome.FORWARDED;
        }
    }

    /**
     * No node can take the call now.
     *
     * @param statusCode 503
     * @param reason the reason phrase
     * @param retryAfterSeconds the {@code Retry-After} value
     * @param outcome {@link OverflowOutcome#ALL_BUSY}, {@link OverflowOutcome#TIMED_OUT} or
     *     {@link OverflowOutcome#FAILED}
     */
    record Reject(int statusCode, String reason, long retryAfterSeconds, OverflowOutcome outcome)
        implements OverflowDecision {
    }
}
