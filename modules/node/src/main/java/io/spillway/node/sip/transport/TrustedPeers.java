package io.spillway.node.sip.transport;

import java.net.InetAddress;
import java.util.List;
import java.util.Set;

/** The load balancers whose PROXY protocol headers are believed. Immutable. */
public final class TrustedPeers {
    private final Set<InetAddress> addresses;

    public TrustedPeers(List<InetAddress> addresses) {
        this.addresses = Set.copyOf(addresses);
    }

    public boolean contains(InetAddress address) {
        return addresses.contains(address);
    }
}
