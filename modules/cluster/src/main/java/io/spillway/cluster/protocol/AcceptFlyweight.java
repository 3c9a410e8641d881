package io.spillway.cluster.protocol;

import io.netty.buffer.ByteBuf;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * Body of {@link MessageType#ACCEPT}: the accepting node's identity, its SIP address and the
 * reservation token, sent directly to the origin.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-------------------------------+-------------------------------+
 * |   accepting node id (u16)     |         SIP port (u16)        |  0
 * +---------------+---------------+-------------------------------+
 * | family 4 or 6 |                reserved, zero                 |  4
 * +---------------+-----------------------------------------------+
 * |   SIP IP address: 16 bytes; IPv4 in the first 4, rest zero    |  8
 * +                                                               +
 * |                                                               |
 * +---------------------------------------------------------------+
 * |                   reservation token (16 bytes)                | 24
 * +                                                               +
 * |                                                               |
 * +---------------------------------------------------------------+
 * </pre>
 */
public final class AcceptFlyweight {
    public static final int NODE_ID_OFFSET = 0;
    public static final int SIP_PORT_OFFSET = 2;
    public static final int FAMILY_OFFSET = 4;
    public static final int SIP_ADDRESS_OFFSET = 8;
    public static final int TOKEN_OFFSET = 24;
    public static final int BODY_LENGTH = 40;

    public static final int FAMILY_IPV4 = 4;
    public static final int FAMILY_IPV6 = 6;

    private AcceptFlyweight() {
    }

    public static void put(
            final ByteBuf buf, final int body, final int nodeId, final InetSocketAddress sipAddress,
            final byte[] token) {
        final byte[] ip = sipAddress.getAddress().getAddress();
        buf.setShort(body + NODE_ID_OFFSET, nodeId);
        buf.setShort(body + SIP_PORT_OFFSET, sipAddress.getPort());
        buf.setInt(body + FAMILY_OFFSET, 0);
        buf.setByte(body + FAMILY_OFFSET, ip.length == 4 ? FAMILY_IPV4 : FAMILY_IPV6);
        buf.setZero(body + SIP_ADDRESS_OFFSET, 16);
        buf.setBytes(body + SIP_ADDRESS_OFFSET, ip);
        buf.setBytes(body + TOKEN_OFFSET, token, 0, ReservationToken.LENGTH);
    }

    public static int nodeId(final ByteBuf buf, final int body) {
        return buf.getUnsignedShort(body + NODE_ID_OFFSET);
    }

    public static int sipPort(final ByteBuf buf, final int body) {
        return buf.getUnsignedShort(body + SIP_PORT_OFFSET);
    }

    public static int family(final ByteBuf buf, final int body) {
        return buf.getUnsignedByte(body + FAMILY_OFFSET);
    }

    /** Copies the token into {@code dst} (16 bytes). */
    public static void token(final ByteBuf buf, final int body, final byte[] dst) {
        buf.getBytes(body + TOKEN_OFFSET, dst, 0, ReservationToken.LENGTH);
    }

    /**
     * Builds the SIP address (allocates; called once per accepted call at the origin).
     *
     * @return the address, or null when the family byte is neither 4 nor 6
     */
    public static InetSocketAddress sipAddress(final ByteBuf buf, final int body) {
        final int family = family(buf, body);
        final byte[] ip;
        if (family == FAMILY_IPV4) {
            ip = new byte[4];
        } else if (family == FAMILY_IPV6) {
            ip = new byte[16];
        } else {
            return null;
        }
        buf.getBytes(body + SIP_ADDRESS_OFFSET, ip);
        try {
            final InetAddress address = InetAddress.getByAddress(ip);
            assert address instanceof Inet4Address || address instanceof Inet6Address;
            return new InetSocketAddress(address, sipPort(buf, body));
        } catch (final UnknownHostException impossibleForFixedLength) {
            return null;
        }
    }
}
