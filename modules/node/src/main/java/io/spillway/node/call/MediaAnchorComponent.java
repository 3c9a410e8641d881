package io.spillway.node.call;

import io.netty.util.NetUtil;
import io.spillway.media.IpFamily;
import io.spillway.media.MediaConfig;
import io.spillway.media.NodeStats;
import io.spillway.media.RelayEngine;
import io.spillway.node.config.MediaSection;
import io.spillway.node.lifecycle.NodeComponent;
import io.spillway.node.lifecycle.NodeContext;
import io.spillway.node.metrics.Labels;
import io.spillway.node.metrics.MetricsRegistry;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The node's media relay and its anchoring: starts a {@link RelayEngine} from {@code [media]} and
 * the {@link RelayMediaHook} the SIP proxy calls, and exposes their metrics, active calls and the
 * {@code /calls} view. Start it before the SIP component, which takes {@link #mediaHook()}.
 */
public final class MediaAnchorComponent implements NodeComponent {
    private final RelayEngine engine;
    private final RelayMediaHook hook;
    private final boolean countsActiveCalls;
    /** Where media-ended listeners run: a signalling loop once started. */
    private volatile Executor listenerExecutor = ForkJoinPool.commonPool();

    /**
     * Builds the engine and the hook (nothing is bound or started yet), so the SIP component can be
     * given {@link #mediaHook()} at assembly time.
     *
     * @param countsActiveCalls add the anchored calls to the node's active calls (what drain waits
     *     for and thresholds read) and to {@code /calls}; false when the SIP proxy already counts and
     *     lists the same calls (its {@code /calls} entries carry each call's media, from
     *     {@link MediaHook#callView}), so that no call is counted or listed twice
     */
    public MediaAnchorComponent(MediaSection media, boolean countsActiveCalls) {
        this(media, countsActiveCalls, 0);
    }

    /** As above, capping every relayed leg at {@code maxPacketsPerSec} (0 = no cap; security.flood). */
    public MediaAnchorComponent(MediaSection media, boolean countsActiveCalls, int maxPacketsPerSec) {
        this.countsActiveCalls = countsActiveCalls;
        this.engine = new RelayEngine(mediaConfig(media, maxPacketsPerSec));
        IpFamily family = media.bind() instanceof Inet4Address ? IpFamily.IPV4 : IpFamily.IPV6;
        this.hook = new RelayMediaHook(engine, media.advertisedHost(), family, System::currentTimeMillis,
            task -> listenerExecutor.execute(task));
    }

    @Override
    public String name() {
        return "media";
    }

    @Override
    public void start(NodeContext context) {
        listenerExecutor = context.eventLoops().signalling().next();
        engine.start();
        if (countsActiveCalls) {
            context.registerActiveCalls(hook::activeCalls);
            context.registerCallsView(hook::callsView);
        }
        register(context.metrics(), hook, engine);
    }

    /** The relay engine settings the node's {@code [media]} section stands for. */
    public static MediaConfig mediaConfig(MediaSection media) {
        return mediaConfig(media, 0);
    }

    /** As above with a per-leg packet rate cap (0 = none). */
    public static MediaConfig mediaConfig(MediaSection media, int maxPacketsPerSec) {
        InetAddress bind = media.bind();
        boolean v4 = bind instanceof Inet4Address;
        InetAddress advertised = media.advertisedAddress().isEmpty() ? null
            : NetUtil.createInetAddressFromIpAddressString(media.advertisedAddress());
        MediaConfig.Builder b = MediaConfig.builder()
            .portRange(media.portMin(), media.portMax())
            .bindIpv4(v4 ? bind : null)
            .bindIpv6(v4 ? null : bind)
            .quarantineMs(media.quarantine().toMillis())
            .inactivityTimeoutMs(media.timeout().toMillis())
            .maxDurationMs(media.maxDuration().toMillis())
            .maxPacketBytes(media.maxPacketBytes())
            .maxPacketsPerSec(maxPacketsPerSec)
            // A timeout shorter than the default housekeeping period would fire late; check 4x per timeout.
            .housekeepingIntervalMs(Math.max(10, Math.min(1000, media.timeout().toMillis() / 4)));
        if (media.eventLoops() > 0) {
            b.eventLoops(media.eventLoops());
        }
        if (advertised instanceof Inet4Address && v4) {
            b.advertisedIpv4(advertised);
        } else if (advertised != null && !v4 && !(advertised instanceof Inet4Address)) {
            b.advertisedIpv6(advertised);
        }
        return b.build();
    }

    private static void register(MetricsRegistry m, RelayMediaHook h, RelayEngine e) {
        m.gauge("spillway_anchor_calls", "Calls with media anchored on this node's relay.", h::activeCalls);
        m.counter("spillway_anchor_sessions_created_total", "Relay sessions created for calls.", Labels.NONE,
            h::sessionsCreated);
        m.counter("spillway_anchor_sessions_released_total",
            "Relay sessions released (call ended, or media timeout / maximum duration).", Labels.NONE,
            h::sessionsReleased);
        m.counter("spillway_anchor_media_timeouts_total",
            "Calls ended by the relay: no media for media.timeout, or media.max_duration reached.", Labels.NONE,
            h::sessionsTimedOut);
        m.counter("spillway_anchor_sdp_rewrite_failures_total",
            "SDP bodies that could not be anchored (bad SDP, no relay ports, relay down).", Labels.NONE,
            h::rewriteFailures);
        Supplier<NodeStats> stats = e::nodeStats;
        m.counter("spillway_relay_packets_total", "RTP/RTCP datagrams received on relay ports.",
            Labels.of("direction", "in"), () -> stats.get().traffic().packetsIn());
        m.counter("spillway_relay_packets_total", "RTP/RTCP datagrams received on relay ports.",
            Labels.of("direction", "out"), () -> stats.get().traffic().packetsOut());
        m.counter("spillway_relay_bytes_total", "Bytes of relayed datagrams.",
            Labels.of("direction", "in"), () -> stats.get().traffic().bytesIn());
        m.counter("spillway_relay_bytes_total", "Bytes of relayed datagrams.",
            Labels.of("direction", "out"), () -> stats.get().traffic().bytesOut());
        m.counter("spillway_relay_dropped_packets_total", "Datagrams dropped by the relay (every reason).",
            Labels.NONE, () -> stats.get().traffic().totalDrops());
        for (io.spillway.media.counter.DropReason reason : io.spillway.media.counter.DropReason.all()) {
            m.counter("spillway_relay_drops_total", "Datagrams dropped by the relay, by reason.",
                Labels.of("reason", reason.name().toLowerCase(java.util.Locale.ROOT)),
                () -> stats.get().traffic().drops(reason));
        }
        m.gauge("spillway_relay_port_pairs_in_use", "Relay RTP/RTCP port pairs bound by sessions.",
            () -> e.workload().portPairsInUse());
        m.gauge("spillway_relay_port_pairs_free", "Relay port pairs free now (not in use, not quarantined).",
            () -> e.workload().portPairsFree());
    }

    /**
     * The hook the SIP proxy calls. Until this component has started, {@code rewrite} fails with
     * 503 (the relay is not running).
     */
    public MediaHook mediaHook() {
        return hook;
    }

    /** The relay engine (started with this component; the ng control port may share it). */
    public RelayEngine engine() {
        return engine;
    }

    @Override
    public void stop() {
        engine.stop().orTimeout(10, TimeUnit.SECONDS).exceptionally(t -> null).join();
    }
}
