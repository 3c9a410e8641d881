package io.spillway.media.rtp;

import io.netty.buffer.ByteBuf;

/**
 * A reusable read-only view over the fixed RTP header (RFC 3550 section 5.1) inside a
 * {@link ByteBuf}, in network byte order (big-endian). Wrapping allocates nothing; the payload is
 * never read, so SRTP passes untouched.
 *
 * <pre>
 *  byte 0          byte 1          bytes 2-3
 * +---+-+-+-------+-+-------------+-------------------------------+
 * |V=2|P|X|  CC   |M|     PT      |        sequence number        |  VERSION_OFFSET 0, PT 1, SEQ 2
 * +---+-+-+-------+-+-------------+-------------------------------+
 * |                          timestamp                            |  TIMESTAMP_OFFSET 4
 * +---------------------------------------------------------------+
 * |                             SSRC                              |  SSRC_OFFSET 8
 * +---------------------------------------------------------------+
 * |                 CSRC list (CC x 32 bits), then                |  CSRC_OFFSET 12
 * |          optional extension, payload, optional padding        |
 * </pre>
 */
public final class RtpHeaderFlyweight {
    /** The only RTP version in use (RFC 3550). */
    public static final int VERSION = 2;
    /** Bytes of the fixed header; anything shorter is not RTP. */
    public static final int MIN_HEADER_LENGTH = 12;
    public static final int VERSION_OFFSET = 0;
    public static final int PAYLOAD_TYPE_OFFSET = 1;
    public static final int SEQUENCE_OFFSET = 2;
    public static final int TIMESTAMP_OFFSET = 4;
    public static final int SSRC_OFFSET = 8;
    public static final int CSRC_OFFSET = 12;

    private ByteBuf buffer;
    private int offset;
    private int length;

    /** Points this view at {@code length} bytes of {@code buffer} from absolute {@code offset}. */
    public RtpHeaderFlyweight wrap(ByteBuf buffer, int offset, int length) {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
        return this;
    }

    /** Points this view at the readable bytes of {@code buffer}. */
    public RtpHeaderFlyweight wrap(ByteBuf buffer) {
        return wrap(buffer, buffer.readerIndex(), buffer.readableBytes());
    }

    /** True when the wrapped bytes hold at least a fixed header of version 2. */
    public boolean isValid() {
        return length >= MIN_HEADER_LENGTH && version() == VERSION;
    }

    public int length() {
        return length;
    }

    public int version() {
        return buffer.getUnsignedByte(offset + VERSION_OFFSET) >>> 6;
    }

    public boolean padding() {
        return (buffer.getByte(offset + VERSION_OFFSET) & 0x20) != 0;
    }

    public boolean extension() {
        return (buffer.getByte(offset + VERSION_OFFSET) & 0x10) != 0;
    }

    public int csrcCount() {
        return buffer.getByte(offset + VERSION_OFFSET) & 0x0F;
    }

    public boolean marker() {
        return (buffer.getByte(offset + PAYLOAD_TYPE_OFFSET) & 0x80) != 0;
    }

    public int payloadType() {
        return buffer.getByte(offset + PAYLOAD_TYPE_OFFSET) & 0x7F;
    }

    /** Sequence number, 0..65535. */
    public int sequenceNumber() {
        return buffer.getUnsignedShort(offset + SEQUENCE_OFFSET);
    }

    /** Timestamp as the raw 32 bits; callers compare it with int (wrap-around) arithmetic. */
    public int timestamp() {
        return buffer.getInt(offset + TIMESTAMP_OFFSET);
    }

    /** SSRC as the raw 32 bits. */
    public int ssrc() {
        return buffer.getInt(offset + SSRC_OFFSET);
    }
}
