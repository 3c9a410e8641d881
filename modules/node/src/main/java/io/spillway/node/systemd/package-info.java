/**
 * systemd integration: the {@code sd_notify} protocol ({@code READY=1}, {@code STATUS=},
 * {@code WATCHDOG=1}, {@code RELOADING=1}, {@code STOPPING=1}) spoken over the unix datagram socket in
 * {@code NOTIFY_SOCKET}, and a watchdog that pings only after a task has round-tripped through every
 * event loop. Without {@code NOTIFY_SOCKET} everything here is a no-op.
 *
 * <p>Depends on Netty (its epoll transport has unix datagram sockets, which the JDK lacks) only.
 */
package io.spillway.node.systemd;
