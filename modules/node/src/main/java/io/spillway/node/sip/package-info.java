/**
 * The SIP side of the node: {@link io.spillway.node.sip.SipComponent} binds the transports, builds
 * the transaction layer and the stateful proxy, and registers their metrics. Subpackages:
 * {@code transport} (UDP/TCP channels, PROXY protocol, connection table), {@code transaction}
 * (RFC 3261 section 17 state machines and timers), {@code proxy} (RFC 3261 section 16 routing, media
 * hook calls, minimal dialog state). May depend on {@code io.spillway.sip}, Netty, the node's config,
 * metrics, lifecycle, call, registrar and overflow packages.
 */
package io.spillway.node.sip;
