package io.spillway.node.sip.proxy;

import io.spillway.node.config.RouteConfig;
import java.util.List;

/**
 * The {@code [[routes]]} table: the upstream URI for the longest prefix of a Request-URI user part.
 * Replaced whole on reload (the reference is volatile; the list is immutable).
 */
public final class StaticRoutes {
    private volatile List<RouteConfig> routes;

    public StaticRoutes(List<RouteConfig> routes) {
        this.routes = List.copyOf(routes);
    }

    public void replace(List<RouteConfig> next) {
        this.routes = List.copyOf(next);
    }

    /** The upstream URI for {@code user}, or null when no prefix matches. */
    public String match(String user) {
        if (user == null) {
            return null;
        }
        RouteConfig best = null;
        for (RouteConfig r : routes) {
            if (user.startsWith(r.prefix()) && (best == null || r.prefix().length() > best.prefix().length())) {
                best = r;
            }
        }
        return best == null ? null : best.uri();
    }
}
