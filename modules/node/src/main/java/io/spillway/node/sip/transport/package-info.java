/**
 * SIP transports: UDP and TCP listeners on the signalling loop, the TCP connection table with idle
 * timeout, PROXY protocol v1/v2 on TCP and v2 on UDP from trusted load balancers, RFC 3581
 * received/rport and RFC 3261 18.2.2 response routing. Knows nothing of transactions: it hands parsed
 * messages and parse errors to a {@link io.spillway.node.sip.transport.InboundSink}. Depends on
 * Netty and {@code io.spillway.sip} only.
 */
package io.spillway.node.sip.transport;
