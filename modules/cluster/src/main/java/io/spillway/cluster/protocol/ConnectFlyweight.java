package io.spillway.cluster.protocol;

import io.netty.buffer.ByteBuf;

/**
 * Body of {@link MessageType#CONNECT}: the call's demand and how far the request has travelled.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +---------------------------------------------------------------+
 * |            demand bandwidth, bytes/s in+out (u32)             | 0
 * +---------------------------------------------------------------+
 * |                demand packets/s in+out (u32)                  | 4
 * +-------------------------------+-------------------------------+
 * |        hop count (u16)        |         reserved, zero        | 8
 * +-------------------------------+-------------------------------+
 * </pre>
 */
public final class ConnectFlyweight {
    public static final int DEMAND_BANDWIDTH_OFFSET = 0;
    public static final int DEMAND_PPS_OFFSET = 4;
    public static final int HOP_COUNT_OFFSET = 8;
    public static final int BODY_LENGTH = 12;

    private ConnectFlyweight() {
    }

    /** Writes the body at {@code body} (the absolute index of the body). */
    public static void put(
            final ByteBuf buf, final int body, final long demandBandwidthBytesPerSec,
            final long demandPacketsPerSec, final int hopCount) {
        buf.setInt(body + DEMAND_BANDWIDTH_OFFSET, (int) demandBandwidthBytesPerSec);
        buf.setInt(body + DEMAND_PPS_OFFSET, (int) demandPacketsPerSec);
        buf.setShort(body + HOP_COUNT_OFFSET, hopCount);
        buf.setShort(body + HOP_COUNT_OFFSET + 2, 0);
    }

    public static long demandBandwidthBytesPerSec(final ByteBuf buf, final int body) {
        return buf.getUnsignedInt(body + DEMAND_BANDWIDTH_OFFSET);
    }

    public static long demandPacketsPerSec(final ByteBuf buf, final int body) {
        return buf.getUnsignedInt(body + DEMAND_PPS_OFFSET);
    }

    public static int hopCount(final ByteBuf buf, final int body) {
        return buf.getUnsignedShort(body + HOP_COUNT_OFFSET);
    }
}
