package io.spillway.node.call;

import io.spillway.sip.SipMessage;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * What the SIP proxy asks of media anchoring: rewrite every SDP it forwards so media flows through
 * this node's relay, and free the relay when the call ends.
 *
 * <p>The proxy calls {@link #rewrite} for each request or response it forwards that carries an SDP
 * body, on its own event loop, and forwards the message only when the returned future completes.
 * A future failed with {@link MediaHookException} makes the proxy answer the request with that
 * status instead (for example 488 for an unusable offer, 503 when no relay port is free).
 */
public interface MediaHook {

    /**
     * Rewrites the SDP of a message about to be forwarded.
     *
     * @param callId the dialog's Call-ID
     * @param callerTag the From tag of the dialog's initial INVITE (the caller's tag)
     * @param message the message with an SDP body, already parsed
     * @param fromCaller true when the message travels from the caller towards the callee
     * @return the new body to forward in place of the old one
     */
    CompletableFuture<byte[]> rewrite(String callId, String callerTag, SipMessage message, boolean fromCaller);

    /**
     * A request within the call (re-INVITE, UPDATE) failed: it got a final response of 300 or above,
     * from the far side or from the proxy itself (timeout, unreachable, 487 after CANCEL). An offer
     * it carried is void (RFC 3261 14.1, RFC 3311 5.2): the session stays as it was before that
     * offer, so media anchoring goes back to the last agreed remotes. Not called for the initial
     * INVITE, whose failure ends the call ({@link #release}).
     *
     * @param fromCaller true when the failed request came from the caller
     * @param cseq its CSeq number
     * @param method its method
     */
    default void requestFailed(String callId, String callerTag, boolean fromCaller, long cseq, String method) {
    }

    /**
     * The media of one call for {@code GET /calls} (relay ports, remotes, counters), or null when
     * this hook anchors nothing for it. The proxy puts it into its entry for the call. Any thread.
     */
    default CallView callView(String callId, String callerTag) {
        return null;
    }

    /** The call ended (BYE, CANCEL, error final response, dialog timeout): free its relay session. */
    void release(String callId, String callerTag, String reason);

    /**
     * Registers who is told when the relay ends a call on its own (media timeout, maximum
     * duration), so the proxy can send BYE to both parties. Arguments: call id, caller tag.
     */
    void onMediaEnded(BiConsumer<String, String> listener);
}
