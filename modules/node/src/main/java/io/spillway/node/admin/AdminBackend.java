package io.spillway.node.admin;

import io.spillway.node.config.NodeConfig;
import io.spillway.node.metrics.MetricsRegistry;

/**
 * What the admin API reads and triggers. Every method is called on the admin event loop and must not
 * block.
 */
public interface AdminBackend {
    /** The node's state in lower case: {@code starting}, {@code serving}, {@code draining}, {@code stopped}. */
    String state();

    /** Whether the node takes new calls ({@code /health} answers 200 only then). */
    boolean isServing();

    /** Active calls, summed over the registered providers. */
    long activeCalls();

    /** The current config (rendered redacted). */
    NodeConfig config();

    MetricsRegistry metrics();

    /** A JSON-serialisable list of the active calls (Jackson). */
    Object callsView();

    /** A JSON-serialisable view of the cluster (Jackson). */
    Object clusterView();

    /** Starts a drain; returns false when the node was not serving. Must not block. */
    boolean requestDrain();

    /** The version string of this build. */
    String version();
}
