/**
 * Flyweights over RTP and RTCP wire bytes, the packet classifier used by the relay, and the
 * per-direction RTP reception statistics (RFC 3550 A.1 sequence tracking, A.8 jitter).
 *
 * <p>Depends on {@code netty-buffer} only; no channels, no I/O, nothing allocated per packet.
 */
package io.spillway.media.rtp;
