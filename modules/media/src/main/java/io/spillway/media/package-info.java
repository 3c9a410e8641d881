/**
 * The RTP/RTCP relay engine: port allocation, relay sessions pinned to event loops, symmetric
 * latching, lock-free counters and media timeouts.
 *
 * <p>Depends on Netty, JCTools and HdrHistogram; not on the SIP or cluster modules.
 */
package io.spillway.media;
