package io.spillway.node.lifecycle;

/** Where a node is in its life. Moves only forward. */
public enum NodeState {
    /** Components are starting; not yet taking calls. */
    STARTING,
    /** Every listener is bound; taking calls. */
    SERVING,
    /** Taking no new calls; relaying the active ones until they end or the drain timeout passes. */
    DRAINING,
    /** Components stopped. */
    STOPPED
}
