package io.spillway.node.sip.transport;

import io.spillway.sip.SipMessage;
import io.spillway.sip.SipParseException;
import io.spillway.sip.SipRequest;

/**
 * The steps every transport applies to a framed message before the sink sees it: full validation
 * (every known header parsed, RFC 3261 16.3 step 1) and, for a request, the RFC 3581 Via stamp.
 */
final class InboundDecoder {
    private InboundDecoder() {
    }

    /** Validates and stamps, then hands to the sink; errors go to {@link InboundSink#onParseError}. */
    static void deliver(SipMessage message, SipSource source, InboundSink sink) {
        try {
            message.validate();
            if (message instanceof SipRequest r) {
                ViaStamp.stamp(r, source.remote());
            }
        } catch (SipParseException e) {
            sink.onParseError(e, source);
            return;
        } catch (RuntimeException e) {
            sink.onParseError(new SipParseException("invalid header value: " + e.getMessage(), -1), source);
            return;
        }
        sink.onMessage(message, source);
    }
}
