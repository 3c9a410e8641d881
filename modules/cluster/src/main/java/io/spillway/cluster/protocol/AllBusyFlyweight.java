package io.spillway.cluster.protocol;

import io.netty.buffer.ByteBuf;

/**
 * Body of {@link MessageType#ALL_BUSY}, sent by the last node of the sequence to the origin.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-------------------------------+-------------------------------+
 * |        hop count (u16)        |         reserved, zero        | 0
 * +-------------------------------+-------------------------------+
 * </pre>
 */
public final class AllBusyFlyweight {
    public static final int HOP_COUNT_OFFSET = 0;
    public static final int BODY_LENGTH = 4;

    private AllBusyFlyweight() {
    }

    public static void put(final ByteBuf buf, final int body, final int hopCount) {
        buf.setInt(body, 0);
        buf.setShort(body + HOP_COUNT_OFFSET, hopCount);
    }

    public static int hopCount(final ByteBuf buf, final int body) {
        return buf.getUnsignedShort(body + HOP_COUNT_OFFSET);
    }
}
