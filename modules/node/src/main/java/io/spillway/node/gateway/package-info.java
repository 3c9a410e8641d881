/**
 * The gateway that controls access to a node (claims 10-11): network policy per listener
 * ({@link io.spillway.node.gateway.AccessPolicy}, {@link io.spillway.node.gateway.AccessPolicyHandler}),
 * SIP digest authentication with stateless nonces ({@link io.spillway.node.gateway.DigestAuthenticator}),
 * a fail2ban-like block list ({@link io.spillway.node.gateway.FailureTracker}), and flood control
 * (per-source token buckets in {@link io.spillway.node.gateway.SourceRateTable}, TCP connection caps and
 * idle timeouts in {@link io.spillway.node.gateway.ConnectionLimitHandler}). Every drop is counted by
 * listener and reason in {@link io.spillway.node.gateway.GatewayCounters}.
 *
 * <p>Every check takes the <em>effective</em> source address as a parameter, so a listener behind a
 * trusted load balancer passes the address from the PROXY protocol header, not the socket's peer.
 *
 * <p>May depend on: {@code io.spillway.sip} (messages, auth values), {@code io.spillway.node.config},
 * {@code io.spillway.node.metrics}, {@code io.spillway.node.lifecycle} (only {@link
 * io.spillway.node.gateway.GatewayComponent}), Netty, JCTools. Nothing here depends on the SIP, ng or
 * cluster listeners: they call into this package (see docs/security.md for where).
 */
package io.spillway.node.gateway;
