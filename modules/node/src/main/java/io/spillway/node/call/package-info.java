/**
 * Call control shared between the SIP proxy and media anchoring: the {@link
 * io.spillway.node.call.MediaHook} contract and its implementation over the relay engine, {@link
 * io.spillway.node.call.RelayMediaHook}, started with the engine by {@link
 * io.spillway.node.call.MediaAnchorComponent}.
 *
 * <p>May depend on {@code io.spillway.sip} (messages, SDP), {@code io.spillway.media} (the engine)
 * and the node's lifecycle, config and metrics packages; not on the SIP transport.
 */
package io.spillway.node.call;
