package io.spillway.node.config;

/**
 * One {@code [[cluster.peers]]} entry: a node of the cluster's priority sequence.
 *
 * @param id      the node's id (matches its own {@code cluster.node_id})
 * @param sip     its SIP address, as given to clients in a 302 Contact
 * @param control its control-protocol address
 */
public record PeerConfig(String id, HostPort sip, HostPort control) {
    public PeerConfig {
        Validate.notEmpty("id", id);
    }
}
