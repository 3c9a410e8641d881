package io.spillway.media.rtp;

import io.netty.buffer.ByteBuf;

/**
 * Decides what a received datagram is: RTP, RTCP, or a drop with its reason. Reads two bytes at
 * most; stateless, allocation-free.
 *
 * <p>On a port that carries both (rtcp-mux), RFC 5761 section 4 tells RTCP by its second byte
 * falling in 192..223, which RTP cannot use (payload types 64..95 are excluded there).
 */
public final class PacketClassifier {
    public static final int RTP = 0;
    public static final int RTCP = 1;
    public static final int TOO_SHORT = 2;
    public static final int BAD_VERSION = 3;
    public static final int OVERSIZE = 4;

    private PacketClassifier() {
    }

    /**
     * Classifies the readable bytes of {@code buf}.
     *
     * @param rtcpPort true when it arrived on a dedicated RTCP port
     * @param maxPacketBytes largest accepted datagram
     * @return {@link #RTP}, {@link #RTCP}, {@link #TOO_SHORT}, {@link #BAD_VERSION} or {@link #OVERSIZE}
     */
    public static int classify(ByteBuf buf, boolean rtcpPort, int maxPacketBytes) {
        int length = buf.readableBytes();
        if (length > maxPacketBytes) {
            return OVERSIZE;
        }
        if (length < RtcpHeaderFlyweight.MIN_LENGTH) {
            return TOO_SHORT;
        }
        int index = buf.readerIndex();
        if ((buf.getUnsignedByte(index) >>> 6) != RtpHeaderFlyweight.VERSION) {
            return BAD_VERSION;
        }
        if (rtcpPort || isMuxedRtcp(buf.getUnsignedByte(index + 1))) {
            return RTCP;
        }
        return length < RtpHeaderFlyweight.MIN_HEADER_LENGTH ? TOO_SHORT : RTP;
    }

    /** RFC 5761: second byte 192..223 means RTCP on a muxed port. */
    public static boolean isMuxedRtcp(int secondByte) {
        return secondByte >= RtcpHeaderFlyweight.FIRST_MUX_PACKET_TYPE
            && secondByte <= RtcpHeaderFlyweight.LAST_MUX_PACKET_TYPE;
    }
}
