package io.spillway.node.config;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code [cluster]}: this node's identity, its peers in priority order, the control protocol's key and
 * the overflow policy.
 *
 * @param nodeId        this node's id, unique in the cluster
 * @param controlListen UDP address of the control protocol
 * @param secretFile    file holding the shared HMAC key; required when there are peers
 * @param mode          redirect (302) or proxy
 * @param retryAfter    {@code Retry-After} of the 503 sent when all nodes are busy (whole seconds)
 * @param peers         the priority sequence; it may include this node's own entry, which marks its
 *                      place in the sequence
 * @param thresholds    workload limits (reloadable)
 */
public record ClusterSection(String nodeId, HostPort controlListen, Secret secretFile, ClusterMode mode,
                             Duration retryAfter, List<PeerConfig> peers, ThresholdConfig thresholds) {
    public ClusterSection {
        Validate.notEmpty("node_id", nodeId);
        Validate.check(nodeId.matches("[A-Za-z0-9._-]{1,64}"), "node_id", nodeId,
            "must be 1-64 characters of A-Z a-z 0-9 . _ -");
        Validate.between("retry_after", retryAfter, Duration.ofSeconds(1), Duration.ofHours(24));
        Validate.check(retryAfter.toMillis() % 1000 == 0, "retry_after", ConfigValues.format(retryAfter),
            "must be whole seconds (it becomes a Retry-After header)");
        peers = List.copyOf(peers);
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < peers.size(); i++) {
            Validate.check(ids.add(peers.get(i).id()), "peers." + i + ".id", peers.get(i).id(),
                "duplicate peer id");
        }
        boolean hasOthers = peers.stream().anyMatch(p -> !p.id().equals(nodeId));
        Validate.check(!hasOthers || secretFile.isPresent(), "secret_file", "",
            "is required when peers are configured (the control protocol is authenticated)");
    }

    /** The peers other than this node, in priority order. */
    public List<PeerConfig> otherPeers() {
        return peers.stream().filter(p -> !p.id().equals(nodeId)).toList();
    }
}
