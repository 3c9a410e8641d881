package io.spillway.cluster.protocol;

import io.netty.buffer.ByteBuf;

/**
 * Body of {@link MessageType#ACK}. The request id in the header names the request; the body names
 * which message of that request is acknowledged.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +---------------+-----------------------------------------------+
 * |acked type (u8)|               reserved, zero                  | 0
 * +---------------+-----------------------------------------------+
 * </pre>
 */
public final class AckFlyweight {
    public static final int ACKED_TYPE_OFFSET = 0;
    public static final int BODY_LENGTH = 4;

    private AckFlyweight() {
    }

    public static void put(final ByteBuf buf, final int body, final int ackedType) {
        buf.setInt(body, 0);
        buf.setByte(body + ACKED_TYPE_OFFSET, ackedType);
    }

    public static int ackedType(final ByteBuf buf, final int body) {
        return buf.getUnsignedByte(body + ACKED_TYPE_OFFSET);
    }
}
