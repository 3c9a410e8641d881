package io.spillway.node.sip.proxy;

import io.spillway.node.sip.transport.SipDestination;
import java.util.List;

/**
 * The minimal dialog state of one call through the node: enough to tell requests of the caller from
 * those of the callee, to release the relay once, and to send BYE to both parties when the relay ends
 * the call. Owned by the loop.
 */
final class CallRecord {
    /** Where a call is. */
    enum State { EARLY, CONFIRMED, ENDED }

    final String callId;
    final String callerTag;
    /** The From header of the initial INVITE, as written. */
    final String callerFrom;
    /** The caller's Contact URI. */
    final String callerContact;
    /** Where the initial INVITE came from (the hop before the node). */
    final SipDestination callerHop;
    State state = State.EARLY;
    String calleeTag;
    /** The To header of the 2xx, with the callee's tag. */
    String calleeTo;
    String calleeContact;
    /** Where the initial INVITE went (the hop after the node). */
    SipDestination calleeHop;
    /** Record-Route of the 2xx, topmost first. */
    List<String> recordRoute = List.of();
    /** Forwarded to the cluster node that anchors its media (overflow proxy mode): no SDP rewrite here. */
    boolean mediaElsewhere;
    long callerCseq;
    long calleeCseq;
    final long createdNs;

    CallRecord(String callId, String callerTag, String callerFrom, String callerContact, SipDestination callerHop,
               long createdNs) {
        this.callId = callId;
        this.callerTag = callerTag;
        this.callerFrom = callerFrom;
        this.callerContact = callerContact;
        this.callerHop = callerHop;
        this.createdNs = createdNs;
    }

    /** True when a request with this From tag comes from the caller. */
    boolean isFromCaller(String fromTag) {
        return callerTag == null ? fromTag == null : callerTag.equals(fromTag);
    }

    /** Notes the CSeq of an in-dialog request. */
    void seenCseq(boolean fromCaller, long cseq) {
        if (fromCaller) {
            callerCseq = Math.max(callerCseq, cseq);
        } else {
            calleeCseq = Math.max(calleeCseq, cseq);
        }
    }
}
