/**
 * Overflow: the node's membership of the cluster and the decision an initial INVITE gets.
 *
 * <p>{@link io.spillway.node.overflow.ClusterComponent} maps {@code [cluster]} onto the cluster module's
 * {@link io.spillway.cluster.ClusterNode}, measures the node's workload for it, and exposes
 * {@code /cluster}, metrics, drain and threshold reloads. {@link io.spillway.node.overflow.OverflowPolicy}
 * is the one call the SIP proxy makes for an initial INVITE: admit here, redirect (302), forward (proxy
 * mode) or reject (503 with Retry-After).
 *
 * <p>Depends on the {@code cluster} and {@code sip} modules, the media module's engine (for workload)
 * and the node's config, lifecycle and metrics packages; the SIP proxy depends on this package, not
 * the other way round.
 */
package io.spillway.node.overflow;
