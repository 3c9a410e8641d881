package io.spillway.media.rtp;

import io.netty.buffer.ByteBuf;

/**
 * A reusable read-only view over the common header of the first packet of an RTCP compound packet
 * (RFC 3550 section 6.4), network byte order (big-endian).
 *
 * <pre>
 *  byte 0          byte 1          bytes 2-3
 * +---+-+---------+---------------+-------------------------------+
 * |V=2|P|   RC    |      PT       |   length (32-bit words - 1)   |  VERSION_OFFSET 0, PT 1, LENGTH 2
 * +---+-+---------+---------------+-------------------------------+
 * |                      SSRC of sender                           |  SSRC_OFFSET 4
 * +---------------------------------------------------------------+
 * </pre>
 */
public final class RtcpHeaderFlyweight {
    /** Header plus sender SSRC: the smallest useful RTCP packet. */
    public static final int MIN_LENGTH = 8;
    public static final int VERSION_OFFSET = 0;
    public static final int PACKET_TYPE_OFFSET = 1;
    public static final int LENGTH_OFFSET = 2;
    public static final int SSRC_OFFSET = 4;
    /** RFC 5761 section 4: RTCP packet types that must be told apart from RTP on a muxed port. */
    public static final int FIRST_MUX_PACKET_TYPE = 192;
    public static final int LAST_MUX_PACKET_TYPE = 223;

    private ByteBuf buffer;
    private int offset;
    private int length;

    /** Points this view at {@code length} bytes of {@code buffer} from absolute {@code offset}. */
    public RtcpHeaderFlyweight wrap(ByteBuf buffer, int offset, int length) {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        return this;
    }

    /** Points this view at the readable bytes of {@code buffer}. */
    public RtcpHeaderFlyweight wrap(ByteBuf buffer) {
        return wrap(buffer, buffer.readerIndex(), buffer.readableBytes());
    }

    /** True when the wrapped bytes hold a header and sender SSRC of version 2. */
    public boolean isValid() {
        return length >= MIN_LENGTH && version() == RtpHeaderFlyweight.VERSION;
    }

    public int version() {
        return buffer.getUnsignedByte(offset + VERSION_OFFSET) >>> 6;
    }

    public int receptionReportCount() {
        return buffer.getByte(offset + VERSION_OFFSET) & 0x1F;
    }

    public int packetType() {
        return buffer.getUnsignedByte(offset + PACKET_TYPE_OFFSET);
    }

    /** Length field: the packet's size in 32-bit words minus one. */
    public int lengthWords() {
        return buffer.getUnsignedShort(offset + LENGTH_OFFSET);
    }

    public int senderSsrc() {
        return buffer.getInt(offset + SSRC_OFFSET);
    }
}
