/**
 * The registrar: REGISTER handling per RFC 3261 10.3 ({@link io.spillway.node.registrar.Registrar}),
 * bindings with expiry on an injected clock, and the {@link io.spillway.node.registrar.LocationStore}
 * behind them, which is also the proxy's {@link io.spillway.node.registrar.LocationService}.
 *
 * <p>May depend on {@code io.spillway.sip} (messages, URIs) and the node's lifecycle, config and
 * metrics packages; no I/O of its own.
 */
package io.spillway.node.registrar;
