package io.spillway.cluster;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * One node of the predefined sequence: its numeric id (what the wire carries), its name (what
 * operators read), the SIP address clients are redirected to, and the control-protocol address
 * peers send to. IPv4 or IPv6.
 *
 * <p>The number must be derived from the name alone, the same on every node (the daemon uses the
 * name itself when it is 1-65535, else a hash of it); a position in the sequence would renumber nodes
 * whenever an operator reorders it.
 *
 * @param nodeId 1..65535, unique in the cluster
 * @param name the operator's name for the node, 1..64 characters, unique in the cluster
 * @param sipAddress resolved SIP address (host:port)
 * @param controlAddress resolved control-protocol UDP address (host:port)
 */
public record PeerSpec(int nodeId, String name, InetSocketAddress sipAddress, InetSocketAddress controlAddress) {
    /** Longest accepted name. */
    public static final int MAX_NAME_LENGTH = 64;

    /** Validates; messages name the offending field. */
    public PeerSpec {
        if (nodeId < 1 || nodeId > 0xFFFF) {
            throw new IllegalArgumentException("nodeId must be in 1..65535 (was " + nodeId + ")");
        }
        if (name == null || name.isBlank() || name.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException(
                "sequence[nodeId=" + nodeId + "].name must be 1.." + MAX_NAME_LENGTH + " characters (was " + name + ")");
        }
        requireResolved("sipAddress", nodeId, sipAddress);
        requireResolved("controlAddress", nodeId, controlAddress);
    }

    /** A peer named {@code node-<id>}. */
    public PeerSpec(final int nodeId, final InetSocketAddress sipAddress, final InetSocketAddress controlAddress) {
        this(nodeId, "node-" + nodeId, sipAddress, controlAddress);
    }

    /**
     * Parses {@code host:port}, {@code [ipv6]:port} forms.
     *
     * @throws IllegalArgumentException naming the field when a value does not parse or resolve
     */
    public static PeerSpec of(final int nodeId, final String name, final String sipHostPort,
                              final String controlHostPort) {
        return new PeerSpec(nodeId, name, parseHostPort("sipAddress", sipHostPort),
            parseHostPort("controlAddress", controlHostPort));
    }

    /**
     * Parses {@code host:port}, {@code [ipv6]:port} forms; the peer is named {@code node-<id>}.
     *
     * @throws IllegalArgumentException naming the field when a value does not parse or resolve
     */
    public static PeerSpec of(final int nodeId, final String sipHostPort, final String controlHostPort) {
        return of(nodeId, "node-" + nodeId, sipHostPort, controlHostPort);
    }

    /**
     * Parses {@code host:port} or {@code [ipv6]:port} and resolves the host.
     *
     * @param field the config field, for the error message
     */
    public static InetSocketAddress parseHostPort(final String field, final String hostPort) {
        if (hostPort == null || hostPort.isBlank()) {
            throw new IllegalArgumentException(field + " must be host:port (was empty)");
        }
        final String host;
        final String port;
        if (hostPort.startsWith("[")) {
            final int close = hostPort.indexOf("]:");
            if (close < 0) {
                throw new IllegalArgumentException(field + " must be [ipv6]:port (was " + hostPort + ")");
            }
            host = hostPort.substring(1, close);
            port = hostPort.substring(close + 2);
        } else {
            final int colon = hostPort.lastIndexOf(':');
            if (colon <= 0 || hostPort.indexOf(':') != colon) {
                throw new IllegalArgumentException(
                    field + " must be host:port or [ipv6]:port (was " + hostPort + ")");
            }
            host = hostPort.substring(0, colon);
            port = hostPort.substring(colon + 1);
        }
        final int portNumber;
        try {
            portNumber = Integer.parseInt(port);
        } catch (final NumberFormatException e) {
            throw new IllegalArgumentException(field + " has a bad port (was " + hostPort + ")", e);
        }
        if (portNumber < 0 || portNumber > 0xFFFF) {
            throw new IllegalArgumentException(field + " port must be 0..65535 (was " + hostPort + ")");
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), portNumber);
        } catch (final UnknownHostException e) {
            throw new IllegalArgumentException(field + " host does not resolve (was " + hostPort + ")", e);
        }
    }

    private static void requireResolved(final String field, final int nodeId, final InetSocketAddress address) {
        if (address == null || address.isUnresolved() || address.getPort() == 0) {
            throw new IllegalArgumentException(
                "sequence[nodeId=" + nodeId + "]." + field + " must be a resolved address with a port (was "
                    + address + ")");
        }
    }
}
