package io.spillway.node.ng;

import java.net.InetSocketAddress;

/**
 * One {@code m=} section of an SDP body as the ng port needs it.
 *
 * @param index 0-based position of the section in the body
 * @param type media type ({@code audio}, {@code video}, ...)
 * @param port the party's RTP port; 0 for a rejected or disabled stream
 * @param protocol transport protocol ({@code RTP/AVP}, ...)
 * @param rtp the party's RTP address (media-level {@code c=}, else session-level)
 * @param rtcp the party's RTCP address ({@code a=rtcp}, else RTP port + 1, else RTP when muxed)
 * @param rtcpMux the section carries {@code a=rtcp-mux}
 */
public record NgSdpMedia(int index, String type, int port, String protocol, InetSocketAddress rtp,
                         InetSocketAddress rtcp, boolean rtcpMux) {

    /** True when the stream is disabled ({@code m=} port 0) and gets no relay ports. */
    public boolean disabled() {
        return port == 0;
    }
}
