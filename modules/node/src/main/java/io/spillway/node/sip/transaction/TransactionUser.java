package io.spillway.node.sip.transaction;

import io.spillway.node.sip.transport.SipSource;
import io.spillway.sip.SipParseException;
import io.spillway.sip.SipRequest;
import io.spillway.sip.SipResponse;

/** The layer above the transactions (the proxy core): what the transaction layer hands up. */
public interface TransactionUser {
    /** A new request (not ACK, not CANCEL) with its fresh server transaction. */
    void onRequest(ServerTransaction transaction);

    /** A CANCEL with its own server transaction; {@code invite} is the matching INVITE transaction or null. */
    void onCancel(ServerTransaction cancel, ServerTransaction invite);

    /** An ACK that matched no server transaction in Completed (an ACK for a 2xx): forward statelessly. */
    void onAck(SipRequest ack, SipSource source);

    /** A response no client transaction claimed (a retransmitted 2xx to INVITE): forward statelessly. */
    void onStrayResponse(SipResponse response, SipSource source);

    /** A message that did not parse. */
    void onParseError(SipParseException error, SipSource source);

    /** An INVITE server transaction that sent a final error and got no ACK (Timer H). */
    default void onAckTimeout(ServerTransaction transaction) {
    }
}
