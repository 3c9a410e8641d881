package io.spillway.cluster.protocol;

import io.netty.buffer.ByteBuf;

/**
 * Body of {@link MessageType#RELEASE}: the origin gives back the reservation named by the token.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +---------------------------------------------------------------+
 * |                   reservation token (16 bytes)                | 0
 * +                                                               +
 * </pre>
 */
public final class ReleaseFlyweight {
    public static final int TOKEN_OFFSET = 0;
    public static final int BODY_LENGTH = ReservationToken.LENGTH;

    private ReleaseFlyweight() {
    }

    public static void put(final ByteBuf buf, final int body, final byte[] token) {
        buf.setBytes(body + TOKEN_OFFSET, token, 0, ReservationToken.LENGTH);
    }

    /** Copies the token into {@code dst} (16 bytes). */
    public static void token(final ByteBuf buf, final int body, final byte[] dst) {
        buf.getBytes(body + TOKEN_OFFSET, dst, 0, ReservationToken.LENGTH);
    }
}
