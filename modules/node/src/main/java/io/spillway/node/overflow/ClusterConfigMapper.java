package io.spillway.node.overflow;

import io.spillway.cluster.CallDemand;
import io.spillway.cluster.ClusterConfig;
import io.spillway.cluster.PeerSpec;
import io.spillway.node.config.ClusterSection;
import io.spillway.node.config.ConfigException;
import io.spillway.node.config.HostPort;
import io.spillway.node.config.PeerConfig;
import io.spillway.node.config.SipConfig;
import io.spillway.node.config.ThresholdConfig;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Maps {@code [cluster]} onto the cluster module's {@link ClusterConfig}: node ids to their
 * control-protocol numbers ({@link ClusterSection#wireId}), peers to {@link PeerSpec}s in sequence
 * order, the key from {@code secret_file}, and the thresholds. Errors name the config key.
 */
final class ClusterConfigMapper {
    /** The call limit standing for "no limit configured" (the cluster module wants one limit set). */
    static final long NO_LIMIT_CALLS = Long.MAX_VALUE / 4;

    private ClusterConfigMapper() {
    }

    /**
     * @param tuning adjusts the protocol timers (tests); identity in production
     * @throws ConfigException naming the key when an address does not resolve or the sequence is
     *     unusable
     */
    static ClusterConfig map(ClusterSection cluster, SipConfig sip, UnaryOperator<ClusterConfig.Builder> tuning) {
        List<PeerSpec> sequence = new ArrayList<>();
        boolean selfListed = false;
        for (int i = 0; i < cluster.peers().size(); i++) {
            PeerConfig p = cluster.peers().get(i);
            selfListed |= p.id().equals(cluster.nodeId());
            sequence.add(peer("cluster.peers." + i, p.id(), p.sip(), p.control()));
        }
        if (!selfListed) {
            sequence.add(0, selfSpec(cluster, sip));
        }
        byte[] secret = cluster.secretFile().isPresent() ? cluster.secretFile().bytes() : standaloneKey();
        InetSocketAddress bind = resolve("cluster.control_listen", cluster.controlListen());
        if (cluster.otherPeers().isEmpty()) {
            // Nobody sends to a node without peers: an OS-chosen port keeps standalone nodes (and
            // tests running many of them) from contending for the configured one.
            bind = new InetSocketAddress(bind.getAddress(), 0);
        }
        ClusterConfig.Builder b = ClusterConfig.builder(ClusterSection.wireId(cluster.nodeId()), sequence, secret,
                thresholds(cluster.thresholds()))
            .bindAddress(bind);
        try {
            return tuning.apply(b).build();
        } catch (IllegalArgumentException e) {
            throw new ConfigException("cluster", null, e.getMessage());
        }
    }

    /**
     * The node's limits in the cluster module's terms: 0 stays "no limit"; with no limit at all the
     * node is never full (only drain makes it so). A new call's expected bandwidth and packet rate
     * are held against those limits from its admission (0: only the measured rates count).
     */
    static io.spillway.cluster.ThresholdConfig thresholds(ThresholdConfig t) {
        boolean none = t.maxCalls() == 0 && t.maxBandwidthBytesPerSec() == 0 && t.maxPacketsPerSec() == 0;
        return new io.spillway.cluster.ThresholdConfig(none ? NO_LIMIT_CALLS : t.maxCalls(),
            t.maxBandwidthBytesPerSec(), t.maxPacketsPerSec(),
            new CallDemand(t.callBandwidthBytesPerSec(), t.callPacketsPerSec()), t.hysteresisPercent() / 100.0);
    }

    /** Control-protocol node number → configured id, for logs, metrics and views. */
    static Map<Integer, String> names(ClusterSection cluster) {
        Map<Integer, String> names = new HashMap<>();
        names.put(ClusterSection.wireId(cluster.nodeId()), cluster.nodeId());
        for (PeerConfig p : cluster.peers()) {
            names.put(ClusterSection.wireId(p.id()), p.id());
        }
        return names;
    }

    /**
     * This node when the sequence does not list it: first (it is the primary of its own calls), at its
     * SIP listener and control address. A node with peers must be reachable at those; a standalone
     * node never sends to itself, so an OS-chosen port (0) is replaced by a placeholder.
     */
    private static PeerSpec selfSpec(ClusterSection cluster, SipConfig sip) {
        boolean standalone = cluster.otherPeers().isEmpty();
        int sipPort = sip.udpPort();
        int controlPort = cluster.controlListen().port();
        if ((sipPort == 0 || controlPort == 0) && !standalone) {
            throw new ConfigException("cluster.peers", null, "this node ('" + cluster.nodeId()
                + "') is not listed and sip.udp_port or cluster.control_listen uses port 0: list it in"
                + " cluster.peers with the addresses peers reach it at");
        }
        InetSocketAddress sipAddress = new InetSocketAddress(sip.listen().get(0), sipPort == 0 ? 5060 : sipPort);
        InetSocketAddress control = resolve("cluster.control_listen", cluster.controlListen());
        if (controlPort == 0) {
            control = new InetSocketAddress(control.getAddress(), 5070);
        }
        return new PeerSpec(ClusterSection.wireId(cluster.nodeId()), cluster.nodeId(), sipAddress, control);
    }

    private static PeerSpec peer(String key, String id, HostPort sip, HostPort control) {
        InetSocketAddress s = resolve(key + ".sip", sip);
        InetSocketAddress c = resolve(key + ".control", control);
        if (s.getPort() == 0) {
            throw new ConfigException(key + ".sip", sip.toString(), "needs a port (clients are sent there)");
        }
        if (c.getPort() == 0) {
            throw new ConfigException(key + ".control", control.toString(), "needs a port (peers send there)");
        }
        return new PeerSpec(ClusterSection.wireId(id), id, s, c);
    }

    private static InetSocketAddress resolve(String key, HostPort hostPort) {
        InetSocketAddress a = hostPort.toSocketAddress();
        if (a.isUnresolved()) {
            throw new ConfigException(key, hostPort.toString(), "the host does not resolve");
        }
        return a;
    }

    /** A node without peers authenticates nothing; any key will do, and none is configured. */
    private static byte[] standaloneKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return key;
    }
}
