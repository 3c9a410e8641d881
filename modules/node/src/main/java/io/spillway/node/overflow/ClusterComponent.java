package io.spillway.node.overflow;

import io.spillway.cluster.CallDemand;
import io.spillway.cluster.ClusterConfig;
import io.spillway.cluster.ClusterNode;
import io.spillway.cluster.LoadReport;
import io.spillway.cluster.PeerSpec;
import io.spillway.cluster.PeerStatus;
import io.spillway.cluster.WorkloadSource;
import io.spillway.node.config.ClusterSection;
import io.spillway.node.config.NodeConfig;
import io.spillway.node.config.ThresholdConfig;
import io.spillway.node.lifecycle.NodeComponent;
import io.spillway.node.lifecycle.NodeContext;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.logging.Logger;

/**
 * The node's membership of the cluster: starts the control protocol ({@link ClusterNode}) on the
 * node's signalling loops with {@code [cluster]} mapped onto it, measures the node's workload for it
 * (the relay's counters plus admitted calls not yet anchored), and gives the SIP proxy its
 * {@link OverflowPolicy}.
 *
 * <ul>
 *   <li>drain: the node reports itself full to its peers and places no new call here;
 *   <li>SIGHUP: new {@code cluster.thresholds} apply to the next admission;
 *   <li>{@code /cluster}: this node's workload and limits, the sequence, each peer's liveness and last
 *       LOAD;
 *   <li>metrics: {@code spillway_cluster_*} and {@code spillway_overflow_*}.
 * </ul>
 *
 * <p>Start it after the media relay (whose counters it reads) and before the SIP proxy (which calls
 * {@link #policy()}).
 */
public final class ClusterComponent implements NodeComponent {
    private static final Logger LOG = Logger.getLogger("spillway.cluster");
    private static final long SWEEP_INTERVAL_MS = 1_000;

    private final Supplier<? extends WorkloadSource> media;
    private final UnaryOperator<ClusterConfig.Builder> tuning;
    private final long admissionHoldMs;

    private volatile ClusterNode node;
    private volatile OverflowPolicy policy;
    private volatile NodeContext context;
    private AdmissionTable admissions;
    private WorkloadSource mediaSource;
    private volatile CallDemand perCall = CallDemand.NONE;
    private Map<Integer, String> names;
    private ScheduledFuture<?> sweep;

    /**
     * @param media the media relay's workload, asked for once at start (after the relay started); see
     *     {@link RelayWorkload}
     */
    public ClusterComponent(Supplier<? extends WorkloadSource> media) {
        this(media, UnaryOperator.identity(), AdmissionTable.DEFAULT_HOLD_MS);
    }

    /**
     * With protocol timers and the admission hold time adjusted: for tests and benchmarks.
     *
     * @param tuning applied to the mapped settings before they are validated
     * @param admissionHoldMs how long an admitted call counts at most before its ticket closes
     */
    public ClusterComponent(Supplier<? extends WorkloadSource> media, UnaryOperator<ClusterConfig.Builder> tuning,
                            long admissionHoldMs) {
        this.media = media;
        this.tuning = tuning;
        this.admissionHoldMs = admissionHoldMs;
    }

    @Override
    public String name() {
        return "cluster";
    }

    private volatile io.spillway.node.gateway.Gateway gateway;

    /** The access gateway: only the configured peers (and security.cluster.allow) reach the control port. */
    public void gateway(io.spillway.node.gateway.Gateway gateway) {
        this.gateway = gateway;
    }

    @Override
    public void start(NodeContext ctx) throws IOException {
        context = ctx;
        NodeConfig cfg = ctx.config();
        ClusterSection section = cfg.cluster();
        ClusterConfig clusterConfig = ClusterConfigMapper.map(section, cfg.sip(), tuning);
        names = ClusterConfigMapper.names(section);
        admissions = new AdmissionTable(System::nanoTime, admissionHoldMs);
        mediaSource = media.get();
        perCall = ClusterConfigMapper.thresholds(section.thresholds()).perCallDemand();
        WorkloadSource workload = new NodeWorkload(mediaSource, admissions, () -> perCall);
        ClusterNode started;
        try {
            ClusterNode.Builder builder = ClusterNode.builder(clusterConfig, workload)
                .eventLoopGroup(ctx.eventLoops().signalling(), ctx.eventLoops().datagramChannel());
            io.spillway.node.gateway.Gateway gw = gateway;
            if (gw != null) {
                builder.sourceFilter(gw.policy(io.spillway.node.gateway.GatewayListener.CLUSTER)::admit);
            }
            started = builder.start();
        } catch (IllegalStateException e) {
            throw new IOException("cannot listen on cluster.control_listen "
                + OverflowPolicy.hostPort(clusterConfig.effectiveBindAddress()) + ": "
                + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()), e);
        }
        node = started;
        policy = new OverflowPolicy(started, admissions, section.mode(), section.retryAfter().toSeconds(), this::nameOf);
        sweep = ctx.eventLoops().signalling().next().scheduleAtFixedRate(admissions::sweep, SWEEP_INTERVAL_MS,
            SWEEP_INTERVAL_MS, TimeUnit.MILLISECONDS);
        ctx.registerClusterView(this::view);
        ClusterMetrics.register(ctx.metrics(), started, policy, admissions, names);
        ctx.addConfigListener((previous, current) -> applyThresholds(current.cluster().thresholds()));
        List<String> sequence = new ArrayList<>();
        for (PeerSpec p : clusterConfig.sequence()) {
            sequence.add(nameOf(p.nodeId()));
        }
        LOG.info("node " + section.nodeId() + " (#" + clusterConfig.nodeId() + ") on control "
            + started.localAddress() + ", sequence " + sequence + ", mode "
            + section.mode().name().toLowerCase(Locale.ROOT) + ", " + describe(section.thresholds()));
    }

    private void applyThresholds(ThresholdConfig t) {
        ClusterNode n = node;
        if (n != null) {
            io.spillway.cluster.ThresholdConfig mapped = ClusterConfigMapper.thresholds(t);
            perCall = mapped.perCallDemand();
            n.updateThresholds(mapped);
            LOG.info("thresholds now " + describe(t));
        }
    }

    private static String describe(ThresholdConfig t) {
        if (t.maxCalls() == 0 && t.maxBandwidthBytesPerSec() == 0 && t.maxPacketsPerSec() == 0) {
            return "no thresholds (full only when draining)";
        }
        return "thresholds max_calls " + t.maxCalls() + ", max_bandwidth_bytes_per_sec " + t.maxBandwidthBytesPerSec()
            + ", max_packets_per_sec " + t.maxPacketsPerSec() + ", hysteresis " + t.hysteresisPercent() + "%";
    }

    @Override
    public void drain() {
        ClusterNode n = node;
        if (n != null) {
            n.setDraining(true);
        }
    }

    @Override
    public void stop() {
        if (sweep != null) {
            sweep.cancel(false);
        }
        ClusterNode n = node;
        if (n != null) {
            n.close();
        }
    }

    /** The decision for initial INVITEs; valid once started. */
    public OverflowPolicy policy() {
        OverflowPolicy p = policy;
        if (p == null) {
            throw new IllegalStateException("the cluster component has not started");
        }
        return p;
    }

    /** True while this node has no room for one more call or drains (the ng port's "load limit"). */
    public boolean overThreshold() {
        ClusterNode n = node;
        return n != null && n.isFull();
    }

    /** The running cluster node (tests, benchmarks). */
    public ClusterNode clusterNode() {
        ClusterNode n = node;
        if (n == null) {
            throw new IllegalStateException("the cluster component has not started");
        }
        return n;
    }

    /** Calls admitted here and not yet anchored. */
    public AdmissionTable admissions() {
        return admissions;
    }

    private String nameOf(int wireId) {
        String name = names.get(wireId);
        return name != null ? name : "#" + wireId;
    }

    /** {@code GET /cluster}. */
    Map<String, Object> view() {
        ClusterNode n = node;
        NodeConfig cfg = context.config();
        ThresholdConfig t = cfg.cluster().thresholds();
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("node_id", cfg.cluster().nodeId());
        v.put("mode", cfg.cluster().mode().name().toLowerCase(Locale.ROOT));
        v.put("control", n.localAddress().toString());
        v.put("full", n.isFull());
        Map<String, Object> workload = new LinkedHashMap<>();
        workload.put("active_calls", mediaSource.activeCalls());
        workload.put("pending_admissions", admissions.pending());
        workload.put("reserved_calls", n.reservedCalls());
        workload.put("bandwidth_bytes_per_sec", mediaSource.bandwidthBytesPerSec());
        workload.put("packets_per_sec", mediaSource.packetsPerSec());
        v.put("workload", workload);
        Map<String, Object> limits = new LinkedHashMap<>();
        limits.put("max_calls", t.maxCalls());
        limits.put("max_bandwidth_bytes_per_sec", t.maxBandwidthBytesPerSec());
        limits.put("max_packets_per_sec", t.maxPacketsPerSec());
        limits.put("hysteresis_percent", t.hysteresisPercent());
        v.put("thresholds", limits);
        List<Map<String, Object>> peers = new ArrayList<>();
        Map<Integer, PeerStatus> byId = new LinkedHashMap<>();
        for (PeerStatus p : n.peers()) {
            byId.put(p.peer().nodeId(), p);
        }
        for (PeerSpec spec : n.config().sequence()) {
            Map<String, Object> peer = new LinkedHashMap<>();
            peer.put("id", nameOf(spec.nodeId()));
            peer.put("sip", OverflowPolicy.hostPort(spec.sipAddress()));
            peer.put("control", OverflowPolicy.hostPort(spec.controlAddress()));
            PeerStatus s = byId.get(spec.nodeId());
            if (s == null) {
                peer.put("state", "self");
            } else {
                peer.put("state", s.alive() ? "alive" : s.everSeen() ? "dead" : "unknown");
                peer.put("last_seen_ms_ago", s.everSeen() ? s.lastSeenAgoMs() : null);
                LoadReport load = s.lastLoad();
                if (load != null) {
                    Map<String, Object> l = new LinkedHashMap<>();
                    l.put("active_calls", load.activeCalls());
                    l.put("reservations", load.reservations());
                    l.put("bandwidth_bytes_per_sec", load.bandwidthBytesPerSec());
                    l.put("packets_per_sec", load.packetsPerSec());
                    l.put("full", load.full());
                    l.put("draining", load.draining());
                    peer.put("last_load", l);
                }
            }
            peers.add(peer);
        }
        v.put("peers", peers);
        return v;
    }
}
