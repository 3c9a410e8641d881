/**
 * The Spillway load generator: sets calls up over an rtpengine-compatible ng control port (its own
 * minimal bencode client, independent of the server's codec), sends RTP at a fixed schedule with the
 * intended send time stamped in each packet (no coordinated omission), receives it on the far side,
 * and reports offered and delivered packet rates, loss, reordering and latency (HdrHistogram).
 *
 * <p>Depends on HdrHistogram, picocli and Netty (epoll, for the batched shared-socket mode); the
 * default mode uses plain JDK NIO sockets, one per party.
 */
package io.spillway.loadgen;
