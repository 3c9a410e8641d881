package io.spillway.cluster.protocol;

import io.netty.buffer.ByteBuf;

/**
 * Body of {@link MessageType#LOAD}, the heartbeat each node sends every peer.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +---------------------------------------------------------------+
 * |                     active calls (u32)                        |  0
 * +---------------------------------------------------------------+
 * |                  live reservations (u32)                      |  4
 * +---------------------------------------------------------------+
 * |                                                               |  8
 * +            bandwidth, bytes/s in+out (u64)                    +
 * |                                                               | 12
 * +---------------------------------------------------------------+
 * |                    packets/s in+out (u32)                     | 16
 * +---------------+-----------------------------------------------+
 * |  flags (u8)   |                reserved, zero                 | 20
 * +---------------+-----------------------------------------------+
 *   flags: bit 0 FULL (no room for one more call), bit 1 DRAINING
 * </pre>
 */
public final class LoadFlyweight {
    public static final int ACTIVE_CALLS_OFFSET = 0;
    public static final int RESERVATIONS_OFFSET = 4;
    public static final int BANDWIDTH_OFFSET = 8;
    public static final int PPS_OFFSET = 16;
    public static final int FLAGS_OFFSET = 20;
    public static final int BODY_LENGTH = 24;

    public static final int FLAG_FULL = 1;
    public static final int FLAG_DRAINING = 2;

    private LoadFlyweight() {
    }

    public static void put(
            final ByteBuf buf, final int body, final long activeCalls, final long reservations,
            final long bandwidthBytesPerSec, final long packetsPerSec, final int flags) {
        buf.setInt(body + ACTIVE_CALLS_OFFSET, (int) Math.min(activeCalls, 0xFFFF_FFFFL));
        buf.setInt(body + RESERVATIONS_OFFSET, (int) Math.min(reservations, 0xFFFF_FFFFL));
        buf.setLong(body + BANDWIDTH_OFFSET, bandwidthBytesPerSec);
        buf.setInt(body + PPS_OFFSET, (int) Math.min(packetsPerSec, 0xFFFF_FFFFL));
        buf.setInt(body + FLAGS_OFFSET, 0);
        buf.setByte(body + FLAGS_OFFSET, flags);
    }

    public static long activeCalls(final ByteBuf buf, final int body) {
        return buf.getUnsignedInt(body + ACTIVE_CALLS_OFFSET);
    }

    public static long reservations(final ByteBuf buf, final int body) {
        return buf.getUnsignedInt(body + RESERVATIONS_OFFSET);
    }

    public static long bandwidthBytesPerSec(final ByteBuf buf, final int body) {
        return buf.getLong(body + BANDWIDTH_OFFSET);
    }

    public static long packetsPerSec(final ByteBuf buf, final int body) {
        return buf.getUnsignedInt(body + PPS_OFFSET);
    }

    public static int flags(final ByteBuf buf, final int body) {
        return buf.getUnsignedByte(body + FLAGS_OFFSET);
    }
}
