package io.spillway.cluster.protocol;

import io.netty.buffer.ByteBuf;

/**
 * The common header and trailer of every control datagram. Static accessors over a {@code ByteBuf}
 * at an absolute base index; nothing is allocated. Big-endian.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-------------------------------+---------------+---------------+
 * |         magic 0x5350 "SP"     |   version 1   |     type      |  0
 * +-------------------------------+---------------+---------------+
 * |                                                               |  4
 * +                       request id (u64)                        +
 * |                                                               |  8
 * +-------------------------------+-------------------------------+
 * |      origin node id (u16)     |      sender node id (u16)     | 12
 * +-------------------------------+-------------------------------+
 * |                                                               | 16
 * +               timestamp, epoch microseconds (u64)             +
 * |                                                               | 20
 * +---------------------------------------------------------------+
 * |                 body (fixed length per type)                  | 24
 * +---------------------------------------------------------------+
 * |        HMAC-SHA256 over bytes [0, 24 + body length) (32)      |
 * +---------------------------------------------------------------+
 * </pre>
 *
 * <p>The origin is the node that received the client's request (constant along the chain); the
 * sender is the node that sent this datagram (changes at every hop).
 *
 * <p>The timestamp is in microseconds, not milliseconds, and every node issues strictly increasing
 * values (see {@link ReplayTable}): the replay check needs each transmission of the same message,
 * retransmissions and repeated ACKs included, to carry a newer timestamp than the last one, which
 * millisecond resolution cannot give without running ahead of the clock under bursts.
 */
public final class HeaderFlyweight {
    /** "SP" in ASCII. */
    public static final int MAGIC = 0x5350;
    /** The only version this code speaks. */
    public static final int VERSION = 1;

    public static final int MAGIC_OFFSET = 0;
    public static final int VERSION_OFFSET = 2;
    public static final int TYPE_OFFSET = 3;
    public static final int REQUEST_ID_OFFSET = 4;
    public static final int ORIGIN_NODE_ID_OFFSET = 12;
    public static final int SENDER_NODE_ID_OFFSET = 14;
    public static final int TIMESTAMP_US_OFFSET = 16;
    /** Where every body starts. */
    public static final int HEADER_LENGTH = 24;
    /** Length of the trailing HMAC-SHA256. */
    public static final int MAC_LENGTH = 32;

    private HeaderFlyweight() {
    }

    /** Writes the header at {@code base}; the body follows at {@code base + HEADER_LENGTH}. */
    public static void putHeader(
            final ByteBuf buf, final int base, final int type, final long requestId,
            final int originNodeId, final int senderNodeId, final long timestampUs) {
        buf.setShort(base + MAGIC_OFFSET, MAGIC);
        buf.setByte(base + VERSION_OFFSET, VERSION);
        buf.setByte(base + TYPE_OFFSET, type);
        buf.setLong(base + REQUEST_ID_OFFSET, requestId);
        buf.setShort(base + ORIGIN_NODE_ID_OFFSET, originNodeId);
        buf.setShort(base + SENDER_NODE_ID_OFFSET, senderNodeId);
        buf.setLong(base + TIMESTAMP_US_OFFSET, timestampUs);
    }

    public static int magic(final ByteBuf buf, final int base) {
        return buf.getUnsignedShort(base + MAGIC_OFFSET);
    }

    public static int version(final ByteBuf buf, final int base) {
        return buf.getUnsignedByte(base + VERSION_OFFSET);
    }

    public static int type(final ByteBuf buf, final int base) {
        return buf.getUnsignedByte(base + TYPE_OFFSET);
    }

    public static long requestId(final ByteBuf buf, final int base) {
        return buf.getLong(base + REQUEST_ID_OFFSET);
    }

    public static int originNodeId(final ByteBuf buf, final int base) {
        return buf.getUnsignedShort(base + ORIGIN_NODE_ID_OFFSET);
    }

    public static int senderNodeId(final ByteBuf buf, final int base) {
        return buf.getUnsignedShort(base + SENDER_NODE_ID_OFFSET);
    }

    public static long timestampUs(final ByteBuf buf, final int base) {
        return buf.getLong(base + TIMESTAMP_US_OFFSET);
    }

    /** @return the absolute index where the body of the datagram at {@code base} starts */
    public static int bodyIndex(final int base) {
        return base + HEADER_LENGTH;
    }
}
