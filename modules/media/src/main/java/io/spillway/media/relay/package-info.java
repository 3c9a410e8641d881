/**
 * The engine's internals: sessions, streams, legs and endpoints owned by one event loop, the
 * forwarding decision, the channel handler that wires it to Netty datagram channels, and the
 * transport choice (epoll with recvmmsg, else NIO). Public only so the engine and benchmarks can
 * reach it; callers use {@link io.spillway.media.RelayEngine}.
 *
 * <p>Threading: every object here except the counters is touched by its loop thread only.
 * Depends on Netty, JCTools, HdrHistogram and the sibling {@code rtp}, {@code port},
 * {@code counter} packages.
 */
package io.spillway.media.relay;
