package io.spillway.cluster;

import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Validated, immutable settings of one node's cluster membership: who it is, the predefined
 * sequence of nodes in priority order, the shared secret, its thresholds and the protocol timers.
 * Build with {@link #builder}; every validation error names the field.
 *
 * <p>The secret is copied in and out and never appears in {@link #toString()}.
 *
 * @param nodeId this node's id; must appear in {@code sequence}
 * @param sequence all nodes, this one included, in priority order
 * @param secret the cluster's shared HMAC key, at least 16 bytes
 * @param bindAddress where to bind the control socket, or null for this node's controlAddress
 * @param thresholds this node's workload limits
 * @param hopAckTimeoutMs a next hop that does not ACK a CONNECT within this is skipped
 * @param retransmitIntervalMs unacknowledged messages are resent at this interval
 * @param chainDeadlineMs the origin gives up (TimedOut) after this
 * @param reservationTtlMs an unconsumed reservation expires after this
 * @param replayWindowMs datagrams stamped further than this from now are stale
 * @param heartbeatIntervalMs LOAD heartbeats are sent to every peer at this interval
 * @param peerDeadAfterMs a peer not heard from within this is dead
 * @param skipDeadPeers forwarding skips peers the peer table marks dead
 * @param skipFullPeers forwarding skips peers whose last LOAD (younger than peerDeadAfterMs) said full
 */
public record ClusterConfig(
        int nodeId, List<PeerSpec> sequence, byte[] secret, InetSocketAddress bindAddress,
        ThresholdConfig thresholds, long hopAckTimeoutMs, long retransmitIntervalMs,
        long chainDeadlineMs, long reservationTtlMs, long replayWindowMs, long heartbeatIntervalMs,
        long peerDeadAfterMs, boolean skipDeadPeers, boolean skipFullPeers) {

    /** Shortest accepted secret. */
    public static final int MIN_SECRET_LENGTH = 16;

    public static final long DEFAULT_HOP_ACK_TIMEOUT_MS = 100;
    public static final long DEFAULT_RETRANSMIT_INTERVAL_MS = 25;
    public static final long DEFAULT_CHAIN_DEADLINE_MS = 1_000;
    public static final long DEFAULT_RESERVATION_TTL_MS = 10_000;
    public static final long DEFAULT_REPLAY_WINDOW_MS = 10_000;
    public static final long DEFAULT_HEARTBEAT_INTERVAL_MS = 1_000;
    public static final long DEFAULT_PEER_DEAD_AFTER_MS = 3_500;

    /** Validates; copies the sequence and the secret. */
    public ClusterConfig {
        if (nodeId < 1 || nodeId > 0xFFFF) {
            throw new IllegalArgumentException("nodeId must be in 1..65535 (was " + nodeId + ")");
        }
        if (sequence == null || sequence.isEmpty()) {
            throw new IllegalArgumentException("sequence must list at least this node");
        }
        sequence = List.copyOf(sequence);
        final Set<Integer> ids = new HashSet<>();
        final Set<InetSocketAddress> controls = new HashSet<>();
        final Set<String> names = new HashSet<>();
        boolean containsSelf = false;
        for (int i = 0; i < sequence.size(); i++) {
            final PeerSpec peer = sequence.get(i);
            if (peer == null) {
                throw new IllegalArgumentException("sequence[" + i + "] must not be null");
            }
            if (!ids.add(peer.nodeId())) {
                throw new IllegalArgumentException("sequence[" + i + "].nodeId " + peer.nodeId() + " is duplicated");
            }
            if (!names.add(peer.name())) {
                throw new IllegalArgumentException("sequence[" + i + "].name " + peer.name() + " is duplicated");
            }
            if (!controls.add(peer.controlAddress())) {
                throw new IllegalArgumentException(
                    "sequence[" + i + "].controlAddress " + peer.controlAddress() + " is duplicated");
            }
            containsSelf |= peer.nodeId() == nodeId;
        }
        if (!containsSelf) {
            throw new IllegalArgumentException("nodeId " + nodeId + " is not in sequence");
        }
        if (secret == null || secret.length < MIN_SECRET_LENGTH) {
            throw new IllegalArgumentException("secret must be at least " + MIN_SECRET_LENGTH + " bytes");
        }
        secret = secret.clone();
        if (bindAddress != null && bindAddress.isUnresolved()) {
            throw new IllegalArgumentException("bindAddress must be resolved (was " + bindAddress + ")");
        }
        if (thresholds == null) {
            throw new IllegalArgumentException("thresholds must not be null");
        }
        positive("hopAckTimeoutMs", hopAckTimeoutMs);
        positive("retransmitIntervalMs", retransmitIntervalMs);
        positive("chainDeadlineMs", chainDeadlineMs);
        positive("reservationTtlMs", reservationTtlMs);
        positive("replayWindowMs", replayWindowMs);
        positive("heartbeatIntervalMs", heartbeatIntervalMs);
        positive("peerDeadAfterMs", peerDeadAfterMs);
        if (retransmitIntervalMs >= hopAckTimeoutMs) {
            throw new IllegalArgumentException("retransmitIntervalMs (" + retransmitIntervalMs
                + ") must be < hopAckTimeoutMs (" + hopAckTimeoutMs + ")");
        }
        if (hopAckTimeoutMs >= chainDeadlineMs) {
            throw new IllegalArgumentException("hopAckTimeoutMs (" + hopAckTimeoutMs
                + ") must be < chainDeadlineMs (" + chainDeadlineMs + ")");
        }
        if (reservationTtlMs <= chainDeadlineMs) {
            throw new IllegalArgumentException("reservationTtlMs (" + reservationTtlMs
                + ") must be > chainDeadlineMs (" + chainDeadlineMs + ")");
        }
        if (replayWindowMs < chainDeadlineMs) {
            throw new IllegalArgumentException("replayWindowMs (" + replayWindowMs
                + ") must be >= chainDeadlineMs (" + chainDeadlineMs + ")");
        }
        if (peerDeadAfterMs <= heartbeatIntervalMs) {
            throw new IllegalArgumentException("peerDeadAfterMs (" + peerDeadAfterMs
                + ") must be > heartbeatIntervalMs (" + heartbeatIntervalMs + ")");
        }
    }

    /** @return a copy of the secret */
    @Override
    public byte[] secret() {
        return secret.clone();
    }

    /** @return this node's entry of the sequence */
    public PeerSpec self() {
        return sequence.get(indexOf(nodeId));
    }

    /** @return the position of {@code id} in the sequence, or -1 */
    public int indexOf(final int id) {
        for (int i = 0; i < sequence.size(); i++) {
            if (sequence.get(i).nodeId() == id) {
                return i;
            }
        }
        return -1;
    }

    /** @return the address the control socket binds */
    public InetSocketAddress effectiveBindAddress() {
        return bindAddress != null ? bindAddress : self().controlAddress();
    }

    @Override
    public String toString() {
        return "ClusterConfig[nodeId=" + nodeId + ", sequence=" + sequence + ", secret=<" + secret.length
            + " bytes>, bindAddress=" + bindAddress + ", thresholds=" + thresholds
            + ", hopAckTimeoutMs=" + hopAckTimeoutMs + ", retransmitIntervalMs=" + retransmitIntervalMs
            + ", chainDeadlineMs=" + chainDeadlineMs + ", reservationTtlMs=" + reservationTtlMs
            + ", replayWindowMs=" + replayWindowMs + ", heartbeatIntervalMs=" + heartbeatIntervalMs
            + ", peerDeadAfterMs=" + peerDeadAfterMs + ", skipDeadPeers=" + skipDeadPeers
            + ", skipFullPeers=" + skipFullPeers + "]";
    }

    /**
     * @param nodeId this node
     * @param sequence all nodes in priority order
     * @param secret the shared secret (copied)
     * @param thresholds this node's limits
     * @return a builder with the default timers, skipping dead and full peers
     */
    public static Builder builder(
            final int nodeId, final List<PeerSpec> sequence, final byte[] secret, final ThresholdConfig thresholds) {
        return new Builder(nodeId, sequence, secret, thresholds);
    }

    private static void positive(final String field, final long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(field + " must be > 0 (was " + value + ")");
        }
    }

    /** Builds a {@link ClusterConfig}; defaults as in the {@code DEFAULT_*} constants. */
    public static final class Builder {
        private final int nodeId;
        private final List<PeerSpec> sequence;
        private final byte[] secret;
        private ThresholdConfig thresholds;
        private InetSocketAddress bindAddress;
        private long hopAckTimeoutMs = DEFAULT_HOP_ACK_TIMEOUT_MS;
        private long retransmitIntervalMs = DEFAULT_RETRANSMIT_INTERVAL_MS;
        private long chainDeadlineMs = DEFAULT_CHAIN_DEADLINE_MS;
        private long reservationTtlMs = DEFAULT_RESERVATION_TTL_MS;
        private long replayWindowMs = DEFAULT_REPLAY_WINDOW_MS;
        private long heartbeatIntervalMs = DEFAULT_HEARTBEAT_INTERVAL_MS;
        private long peerDeadAfterMs = DEFAULT_PEER_DEAD_AFTER_MS;
        private boolean skipDeadPeers = true;
        private boolean skipFullPeers = true;

        private Builder(final int nodeId, final List<PeerSpec> sequence, final byte[] secret,
                        final ThresholdConfig thresholds) {
            this.nodeId = nodeId;
            this.sequence = sequence;
            this.secret = secret == null ? null : secret.clone();
            this.thresholds = thresholds;
        }

        public Builder thresholds(final ThresholdConfig value) {
            thresholds = value;
            return this;
        }

        public Builder bindAddress(final InetSocketAddress value) {
            bindAddress = value;
            return this;
        }

        public Builder hopAckTimeoutMs(final long value) {
            hopAckTimeoutMs = value;
            return this;
        }

        public Builder retransmitIntervalMs(final long value) {
            retransmitIntervalMs = value;
            return this;
        }

        public Builder chainDeadlineMs(final long value) {
            chainDeadlineMs = value;
            return this;
        }

        public Builder reservationTtlMs(final long value) {
            reservationTtlMs = value;
            return this;
        }

        public Builder replayWindowMs(final long value) {
            replayWindowMs = value;
            return this;
        }

        public Builder heartbeatIntervalMs(final long value) {
            heartbeatIntervalMs = value;
            return this;
        }

        public Builder peerDeadAfterMs(final long value) {
            peerDeadAfterMs = value;
            return this;
        }

        public Builder skipDeadPeers(final boolean value) {
            skipDeadPeers = value;
            return this;
        }

        public Builder skipFullPeers(final boolean value) {
            skipFullPeers = value;
            return this;
        }

        /** @throws IllegalArgumentException naming the field that is wrong */
        public ClusterConfig build() {
            return new ClusterConfig(nodeId, sequence, secret, bindAddress, thresholds, hopAckTimeoutMs,
                retransmitIntervalMs, chainDeadlineMs, reservationTtlMs, replayWindowMs,
                heartbeatIntervalMs, peerDeadAfterMs, skipDeadPeers, skipFullPeers);
        }
    }
}
