package io.spillway.node.config;

/**
 * Told about an applied reload. {@code current} differs from {@code previous} only in the reloadable
 * parts ({@code cluster.thresholds}, {@code routes}); other changes wait for a restart.
 */
@FunctionalInterface
public interface ConfigListener {
    /** Called on the node's lifecycle thread; must not block for long. */
    void onReload(NodeConfig previous, NodeConfig current);
}
