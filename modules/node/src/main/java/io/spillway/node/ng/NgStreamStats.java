package io.spillway.node.ng;

/**
 * Counters of what one leg of a stream received from its party, as the relay measured them.
 *
 * @param packets RTP and RTCP packets received and forwarded
 * @param bytes UDP payload bytes received and forwarded
 * @param dropped packets dropped (wrong source, malformed)
 * @param ssrc last RTP SSRC seen, or -1 if none
 * @param lost RTP packets lost by sequence-number gaps
 * @param jitterUs interarrival jitter (RFC 3550 section 6.4.1) in microseconds, or 0 if unknown
 */
public record NgStreamStats(long packets, long bytes, long dropped, long ssrc, long lost, long jitterUs) {
    /** Stats of a leg that has received nothing. */
    public static final NgStreamStats EMPTY = new NgStreamStats(0, 0, 0, -1, 0, 0);
}
