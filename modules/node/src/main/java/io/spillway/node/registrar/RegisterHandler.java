package io.spillway.node.registrar;

import io.spillway.sip.SipRequest;
import io.spillway.sip.SipResponse;
import java.net.InetSocketAddress;

/**
 * What the SIP proxy calls for a REGISTER addressed to one of the node's domains: it gets the final
 * response to send back (through its server transaction). Never throws for bad input; a malformed
 * REGISTER gets a 4xx. Thread-safe, non-blocking.
 */
@FunctionalInterface
public interface RegisterHandler {
    /**
     * @param register the parsed REGISTER
     * @param source the transport source it came from (after any PROXY protocol header), or null
     * @return the final response (200 with the current bindings, or 4xx/5xx)
     */
    SipResponse handle(SipRequest register, InetSocketAddress source);
}
