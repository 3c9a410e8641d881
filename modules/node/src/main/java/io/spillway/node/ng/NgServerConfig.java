package io.spillway.node.ng;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * Validated settings of the ng control port.
 *
 * @param listen where the ng port listens (default {@code 127.0.0.1:2223}; IPv6 works too)
 * @param retransmitWindowMs how long a reply is kept to answer a retransmitted cookie
 * @param replyCacheMaxEntries bound of the reply cache (oldest evicted first)
 * @param maxCalls bound of concurrent ng calls
 * @param defaultOptions latching and source checks when an offer carries no flags about them
 */
public record NgServerConfig(InetSocketAddress listen, long retransmitWindowMs,
                       int replyCacheMaxEntries, int maxCalls, NgMediaOptions defaultOptions) {
    /** rtpengine's customary ng port. */
    public static final int DEFAULT_PORT = 2223;

    public NgServerConfig {
        Objects.requireNonNull(listen, "ng.listen");
        Objects.requireNonNull(defaultOptions, "ng default options");
        if (retransmitWindowMs < 1_000 || retransmitWindowMs > 600_000) {
            throw new IllegalArgumentException("ng.retransmit-window-ms must be in [1000, 600000]: "
                + retransmitWindowMs);
        }
        if (replyCacheMaxEntries < 1) {
            throw new IllegalArgumentException("ng.reply-cache-max-entries must be >= 1: " + replyCacheMaxEntries);
        }
        if (maxCalls < 1) {
            throw new IllegalArgumentException("ng.max-calls must be >= 1: " + maxCalls);
        }
    }

    /** Defaults: 30 s window, 65536 cached replies, 100000 calls, relay defaults for latching. */
    public static NgServerConfig of(InetSocketAddress listen) {
        return new NgServerConfig(listen, 30_000, 65_536, 100_000, NgMediaOptions.DEFAULT);
    }
}
