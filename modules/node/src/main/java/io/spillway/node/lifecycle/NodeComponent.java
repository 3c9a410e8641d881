package io.spillway.node.lifecycle;

/**
 * A part of the daemon with a life: the SIP listener, the ng control port, the media relay, the
 * cluster protocol. {@link SpillwayNode} starts components in the order {@link NodeAssembly} lists
 * them and stops them in reverse.
 *
 * <p>A component registers what it exposes through the {@link NodeContext} in {@link #start}: metrics,
 * its active-call count, its {@code /calls} or {@code /cluster} view, a reload listener.
 */
public interface NodeComponent {
    /** Short lower-case name, used in logs ({@code [sip]}) and errors. */
    String name();

    /**
     * Binds listeners and starts work; returns once they are bound (the node tells systemd it is
     * ready when every component has returned). Throwing aborts start-up: the components already
     * started are stopped and the process exits non-zero.
     */
    void start(NodeContext context) throws Exception;

    /**
     * The node started draining: take no new calls (SIP answers new INVITEs with a redirect or 503,
     * the cluster reports itself full) but keep serving the active ones. Called once, on the
     * lifecycle thread; must not block.
     */
    default void drain() {
    }

    /** Releases everything; called once, in reverse start order, also after a failed start. */
    void stop() throws Exception;
}
