/**
 * Call control shared between the SIP proxy and media anchoring: the {@link
 * io.spillway.node.call.MediaHook} contract and its implementation over the relay engine.
 */
package io.spillway.node.call;
