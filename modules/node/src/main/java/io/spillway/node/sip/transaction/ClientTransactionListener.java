package io.spillway.node.sip.transaction;

import io.spillway.sip.SipResponse;

/** What a client transaction reports to its owner, on the loop. */
public interface ClientTransactionListener {
    /** A response to pass up: every 1xx, the first final (never a retransmitted final error). */
    void onResponse(ClientTransaction transaction, SipResponse response);

    /** Timer B or F fired without a final response. */
    void onTimeout(ClientTransaction transaction);

    /** The request could not be sent (TCP connection refused or reset). */
    void onTransportError(ClientTransaction transaction, Throwable cause);
}
