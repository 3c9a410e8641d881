package io.spillway.node.call;

/**
 * Identifies an anchored call: the dialog's Call-ID and the caller's From tag (RFC 3261 12: a dialog
 * is Call-ID plus both tags; the callee's tag is not known when media is first anchored, and one
 * INVITE anchors one relay session however many forks answer it).
 */
public record CallKey(String callId, String callerTag) {
    public CallKey {
        if (callId == null || callId.isEmpty()) {
            throw new IllegalArgumentException("Call-ID must not be empty");
        }
        if (callerTag == null) {
            callerTag = "";
        }
    }

    /** The relay session key: unique among live calls, readable in logs. */
    public String sessionKey() {
        return callId + ";tag=" + callerTag;
    }
}
