package io.spillway.node.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The node's whole validated configuration: one record per TOML table. Immutable; a reload builds a
 * new one and swaps it in.
 */
public record NodeConfig(SipConfig sip, MediaSection media, NgConfig ng, ClusterSection cluster,
                         AdminConfig admin, LifecycleConfig lifecycle, List<RouteConfig> routes,
                         RegistrarConfig registrar, SecurityConfig security) {
    public NodeConfig {
        routes = List.copyOf(routes);
        Set<String> prefixes = new HashSet<>();
        for (int i = 0; i < routes.size(); i++) {
            Validate.check(prefixes.add(routes.get(i).prefix()), "routes." + i + ".prefix",
                routes.get(i).prefix(), "duplicate route prefix");
        }
    }

    /** This config with the reloadable parts ({@code cluster.thresholds}, {@code routes}) of {@code next}. */
    public NodeConfig withReloadable(NodeConfig next) {
        ClusterSection c = cluster;
        ClusterSection cluster2 = new ClusterSection(c.nodeId(), c.controlListen(), c.secretFile(), c.mode(),
            c.retryAfter(), c.peers(), next.cluster().thresholds());
        return new NodeConfig(sip, media, ng, cluster2, admin, lifecycle, next.routes(), registrar, security);
    }

    /** The top-level sections that differ in {@code next} but only take effect on restart. */
    public List<String> restartOnlyChanges(NodeConfig next) {
        NodeConfig applied = withReloadable(next);
        List<String> changed = new ArrayList<>();
        if (!applied.sip.equals(next.sip)) {
            changed.add("sip");
        }
        if (!applied.media.equals(next.media)) {
            changed.add("media");
        }
        if (!applied.ng.equals(next.ng)) {
            changed.add("ng");
        }
        if (!applied.cluster.equals(next.cluster)) {
            changed.add("cluster (except cluster.thresholds)");
        }
        if (!applied.admin.equals(next.admin)) {
            changed.add("admin");
        }
        if (!applied.lifecycle.equals(next.lifecycle)) {
            changed.add("lifecycle");
        }
        if (!applied.registrar.equals(next.registrar)) {
            changed.add("registrar");
        }
        if (!applied.security.equals(next.security)) {
            changed.add("security");
        }
        return changed;
    }

    /** The redacted {@code key = value} view (same as {@code GET /config}). */
    @Override
    public String toString() {
        return ConfigRenderer.render(this);
    }
}
