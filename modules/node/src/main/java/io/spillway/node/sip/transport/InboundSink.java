package io.spillway.node.sip.transport;

import io.spillway.sip.SipMessage;
import io.spillway.sip.SipParseException;

/** Receives what the transports read, on the signalling loop. Implementations must not throw. */
public interface InboundSink {
    /** A parsed message; for a request, the top Via already carries received/rport (RFC 3581). */
    void onMessage(SipMessage message, SipSource source);

    /** A message that did not parse; the sink answers 400 when it can, else drops and counts. */
    void onParseError(SipParseException error, SipSource source);
}
