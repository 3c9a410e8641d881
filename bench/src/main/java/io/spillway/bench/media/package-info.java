/**
 * JMH benchmarks of the media relay's hot path: RTP/RTCP header parsing, the per-packet
 * forwarding decision, and loopback forwarding through real sockets. Depends on
 * {@code spillway-media} and JMH only.
 */
package io.spillway.bench.media;
