package io.spillway.node.ng;

import io.spillway.media.RelayEngine;
import io.spillway.node.lifecycle.NodeComponent;
import io.spillway.node.lifecycle.NodeContext;
import io.spillway.node.metrics.Labels;
import io.spillway.node.metrics.MetricsRegistry;
import java.io.IOException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * The ng control port as a component of the daemon ({@code [ng]} section: {@code enabled},
 * {@code listen}). Starts after the media relay (it needs the running {@link RelayEngine}), registers
 * its counters and its call count, and refuses new calls while the node drains.
 *
 * <p>Wiring in {@code NodeAssembly}: {@code new NgControlComponent(media::engine, cluster::overThreshold)}.
 */
public final class NgControlComponent implements NodeComponent {
    private static final Logger LOG = Logger.getLogger(NgControlComponent.class.getName());

    private final Supplier<RelayEngine> engine;
    private final BooleanSupplier overThreshold;
    private volatile boolean draining;
    private volatile NgServer server;
    private volatile io.spillway.node.gateway.Gateway gateway;

    /**
     * @param engine the media component's engine, started before this component
     * @param overThreshold the node's load decision; offers for new calls are refused while true
     */
    public NgControlComponent(Supplier<RelayEngine> engine, BooleanSupplier overThreshold) {
        this.engine = engine;
        this.overThreshold = overThreshold;
    }

    @Override
    public String name() {
        return "ng";
    }

    @Override
    public void start(NodeContext context) throws Exception {
        io.spillway.node.config.NgConfig section = context.config().ng();
        if (!section.enabled()) {
            return;
        }
        NgServerConfig config = NgServerConfig.of(section.listen().toSocketAddress());
        server = new NgServer(config, new MediaEngineNgBackend(engine.get()),
            () -> draining || overThreshold.getAsBoolean());
        io.spillway.node.gateway.Gateway gw = gateway;
        if (gw != null) {
            server.admission(gw.policy(io.spillway.node.gateway.GatewayListener.NG)::admit);
        }
        try {
            server.start();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                throw e;
            }
            throw new IOException("cannot listen on ng.listen " + section.listen() + ": " + e.getMessage(), e);
        }
        register(context.metrics(), server);
        context.registerActiveCalls(server::calls);
        LOG.info(() -> "ng control port listening on " + server.localAddress());
    }

    static void register(MetricsRegistry metrics, NgServer server) {
        NgStats stats = server.stats();
        for (String command : NgStats.COMMANDS) {
            for (String result : NgStats.RESULTS) {
                metrics.counter("spillway_ng_commands_total", "ng commands answered, by command and result",
                    Labels.of("command", command, "result", result), () -> stats.commands(command, result));
            }
        }
        metrics.counter("spillway_ng_malformed_total", "ng datagrams with invalid bencode or shape", Labels.NONE,
            stats::malformed);
        metrics.counter("spillway_ng_dropped_total", "ng datagrams dropped without a reply (no cookie)",
            Labels.NONE, stats::dropped);
        metrics.counter("spillway_ng_retransmissions_total",
            "retransmitted ng requests answered from the reply cache", Labels.NONE, stats::retransmissions);
        metrics.counter("spillway_ng_internal_errors_total", "ng requests that failed unexpectedly", Labels.NONE,
            stats::internalErrors);
        metrics.gauge("spillway_ng_calls", "calls held by the ng control port", Labels.NONE, server::calls);
    }

    /** The access gateway whose ng policy admits controllers; set before start. */
    public void gateway(io.spillway.node.gateway.Gateway gateway) {
        this.gateway = gateway;
    }

    /** The bound ng address, or null when the port is disabled or not started. */
    public java.net.InetSocketAddress localAddress() {
        NgServer s = server;
        return s == null ? null : s.localAddress();
    }

    /** True once the node told this component to drain. */
    boolean draining() {
        return draining;
    }

    @Override
    public void drain() {
        draining = true;
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close();
            server = null;
        }
    }
}
