package io.spillway.node.sip.transaction;

import io.spillway.node.sip.transport.SendFailureListener;
import io.spillway.node.sip.transport.SipDestination;

/** Where transactions put bytes on the wire (the transport, or a test's recorder). */
@FunctionalInterface
public interface MessageSender {
    void send(byte[] bytes, SipDestination destination, SendFailureListener onFailure);
}
