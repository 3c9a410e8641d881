package io.spillway.node.config;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;

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
    /** Shortest accepted cluster key: the control protocol's HMAC needs at least 128 bits. */
    public static final int MIN_SECRET_BYTES = 16;

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
        Validate.check(!secretFile.isPresent() || secretFile.bytes().length >= MIN_SECRET_BYTES, "secret_file",
            secretFile.file(), "the key must be at least " + MIN_SECRET_BYTES
                + " bytes, e.g. head -c 32 /dev/urandom | base64 > cluster.key");
        Map<Integer, String> wireIds = new HashMap<>();
        wireIds.put(wireId(nodeId), nodeId);
        for (int i = 0; i < peers.size(); i++) {
            String id = peers.get(i).id();
            String clash = wireIds.putIfAbsent(wireId(id), id);
            Validate.check(clash == null || clash.equals(id), "peers." + i + ".id", id,
                "maps to the same control-protocol node number (" + wireId(id) + ") as '" + clash
                    + "'; rename one of them");
        }
    }

    /**
     * The 16-bit node number the control protocol carries for a node id: the number itself for ids
     * {@code 1}-{@code 65535}, else a CRC-32 of the id folded into 1-65535. Every node derives the same
     * number from the same id, so the sequence needs no second, numeric identity; the constructor
     * refuses two ids that fold to the same number.
     */
    public static int wireId(String id) {
        if (id.matches("[1-9][0-9]{0,4}") && Integer.parseInt(id) <= 0xFFFF) {
            return Integer.parseInt(id);
        }
        CRC32 crc = new CRC32();
        crc.update(id.getBytes(StandardCharsets.UTF_8));
        return (int) (crc.getValue() % 0xFFFF) + 1;
    }

    /** The peers other than this node, in priority order. */
    public List<PeerConfig> otherPeers() {
        return peers.stream().filter(p -> !p.id().equals(nodeId)).toList();
    }
}
