package io.spillway.node.gateway;

import java.util.Locale;

/** The listeners the gateway guards; the {@code listener} label of the drop counters. */
public enum GatewayListener {
    /** SIP over UDP and TCP. */
    SIP,
    /** The rtpengine-compatible ng control port. */
    NG,
    /** The cluster control protocol. */
    CLUSTER,
    /** The admin HTTP API. */
    ADMIN;

    /** The label value: lower case. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
