package io.spillway.node.registrar;

import io.spillway.sip.SipUri;
import java.util.List;

/**
 * Where the proxy looks up a registered user: the current contacts bound to an address of record.
 */
public interface LocationService {

    /**
     * The live contacts of {@code user@domain}, best first (highest q, then most recent).
     * Empty when the user has no binding on this node.
     */
    List<SipUri> lookup(String user, String domain);
}
