package io.spillway.node.sip.proxy;

import java.io.IOException;
import java.net.InetAddress;

/** Resolves a host name of a next hop; called off the signalling loop (it may block on DNS). */
@FunctionalInterface
public interface HostResolver {
    /** The system resolver. */
    HostResolver SYSTEM = InetAddress::getByName;

    InetAddress resolve(String host) throws IOException;
}
