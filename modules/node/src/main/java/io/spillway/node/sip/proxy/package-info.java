/**
 * The transaction-stateful proxy (RFC 3261 section 16, one target, no forking): request validation
 * (416, 420, 482, 483), Route processing and Record-Route, routing of initial requests (location
 * service, static routes, Request-URI), CANCEL, ACK for 2xx, SDP through the
 * {@link io.spillway.node.call.MediaHook}, and the minimal per-call state the node needs to send BYE
 * when the relay ends a call. Depends on the transaction and transport packages, {@code
 * io.spillway.sip}, the node's config, call and registrar contracts.
 */
package io.spillway.node.sip.proxy;
