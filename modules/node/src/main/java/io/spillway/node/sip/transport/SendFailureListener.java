package io.spillway.node.sip.transport;

/** Told when a message could not be sent (TCP connection refused or reset). Runs on the loop. */
@FunctionalInterface
public interface SendFailureListener {
    SendFailureListener IGNORE = cause -> { };

    void onSendFailure(Throwable cause);
}
