package io.spillway.node.lifecycle;

import io.spillway.node.config.ConfigListener;
import io.spillway.node.config.NodeConfig;
import io.spillway.node.metrics.MetricsRegistry;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * What a {@link NodeComponent} gets from the node: the config, the shared event loops, the metrics
 * registry, and hooks to expose its active calls, its admin views and to hear about reloads.
 */
public interface NodeContext {
    /** The current config; after a reload, the new one (only its reloadable parts differ). */
    NodeConfig config();

    NodeEventLoops eventLoops();

    MetricsRegistry metrics();

    NodeState state();

    /** Adds an active-call count to the node's total (drain waits for it to reach 0; /health shows it). */
    void registerActiveCalls(LongSupplier activeCalls);

    /** Supplies {@code GET /calls}: a Jackson-serialisable list of the active calls. */
    void registerCallsView(Supplier<?> view);

    /** Supplies {@code GET /cluster}: a Jackson-serialisable view of peers and their load. */
    void registerClusterView(Supplier<?> view);

    /** Hears about applied reloads (thresholds, routes). */
    void addConfigListener(ConfigListener listener);
}
