package io.spillway.node.config;

/** How a primary hands an overflowing call to the node that took it. */
public enum ClusterMode {
    /** Answer the client {@code 302} naming the chosen node (default; the client re-sends). */
    REDIRECT,
    /** Forward the INVITE to the chosen node itself (for clients that do not follow redirects). */
    PROXY
}
