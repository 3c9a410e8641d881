/**
 * The daemon's skeleton: {@link io.spillway.node.lifecycle.SpillwayNode} starts the {@link
 * io.spillway.node.lifecycle.NodeComponent}s (SIP, ng, media, cluster) in order on shared event loops,
 * drains and stops them in reverse, reloads the config on SIGHUP and speaks to systemd.
 * {@link io.spillway.node.lifecycle.NodeAssembly} is where components are plugged in.
 *
 * <p>Depends on {@code node.config}, {@code node.metrics}, {@code node.admin}, {@code node.systemd}
 * and Netty; component packages ({@code node.sip}, {@code node.ng}, ...) depend on this one.
 */
package io.spillway.node.lifecycle;
