package io.spillway.node.gateway;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * The network policy of one listener: a deny list, checked first, and an allow list (empty = every
 * source not denied). Immutable and thread-safe; {@link #admit} counts what it refuses. Call it before
 * parsing anything, with the effective source (the PROXY protocol's address behind a trusted balancer).
 */
public final class AccessPolicy {
    private final GatewayListener listener;
    private final CidrSet allow;
    private final CidrSet deny;
    private final GatewayCounters counters;
    private final boolean nobody;

    public AccessPolicy(GatewayListener listener, CidrSet allow, CidrSet deny, GatewayCounters counters) {
        this(listener, allow, deny, counters, false);
    }

    private AccessPolicy(GatewayListener listener, CidrSet allow, CidrSet deny, GatewayCounters counters,
                         boolean nobody) {
        this.listener = listener;
        this.allow = allow;
        this.deny = deny;
        this.counters = counters;
        this.nobody = nobody;
    }

    /** A policy that admits no source (e.g. the control port of a node without peers). */
    public static AccessPolicy nobody(GatewayListener listener, GatewayCounters counters) {
        return new AccessPolicy(listener, CidrSet.EMPTY, CidrSet.EMPTY, counters, true);
    }

    /** A policy that admits every source (still counted nowhere: it never refuses). */
    public static AccessPolicy allowAll(GatewayListener listener, GatewayCounters counters) {
        return new AccessPolicy(listener, CidrSet.EMPTY, CidrSet.EMPTY, counters);
    }

    /** Why {@code source} would be refused, or null when it is admitted. Counts nothing. */
    public GatewayDropReason verdict(InetAddress source) {
        if (source == null || nobody) {
            return GatewayDropReason.NOT_ALLOWED;
        }
        if (deny.contains(source)) {
            return GatewayDropReason.DENIED;
        }
        if (!allow.isEmpty() && !allow.contains(source)) {
            return GatewayDropReason.NOT_ALLOWED;
        }
        return null;
    }

    /** True when {@code source} is admitted; otherwise counts the drop and returns false. */
    public boolean admit(InetAddress source) {
        GatewayDropReason r = verdict(source);
        if (r == null) {
            return true;
        }
        counters.drop(listener, r);
        return false;
    }

    /** {@link #admit(InetAddress)} for a socket address (null or unresolved: refused). */
    public boolean admit(InetSocketAddress source) {
        return admit(source == null ? null : source.getAddress());
    }

    public GatewayListener listener() {
        return listener;
    }

    public CidrSet allow() {
        return allow;
    }

    public CidrSet deny() {
        return deny;
    }

    @Override
    public String toString() {
        return listener.label() + (nobody ? " allow=nobody" : " allow=" + allow) + " deny=" + deny;
    }
}
