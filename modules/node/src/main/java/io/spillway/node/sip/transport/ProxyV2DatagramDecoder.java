package io.spillway.node.sip.transport;

import io.netty.buffer.ByteBuf;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * Reads a PROXY protocol v2 header at the start of a UDP datagram (the HAProxy spec, section 2.2).
 * Network byte order:
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  signature \r\n\r\n\0\r\nQUIT\n (12 bytes)                     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | ver|cmd (0x2X) | fam|proto  |        length (of what follows)  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | IPv4: src(4) dst(4) sport(2) dport(2) | IPv6: src(16) dst(16) sport(2) dport(2) | TLVs |
 * </pre>
 *
 * Codec only: no channel, no allocation besides the returned address.
 */
public final class ProxyV2DatagramDecoder {
    static final byte[] SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};
    static final int VER_CMD_OFFSET = 12;
    static final int FAMILY_OFFSET = 13;
    static final int LENGTH_OFFSET = 14;
    static final int ADDRESSES_OFFSET = 16;
    private static final int CMD_LOCAL = 0x20;
    private static final int CMD_PROXY = 0x21;

    /** A decoded header: its total length, and the client's address (null for LOCAL or UNSPEC). */
    public record Header(int length, InetSocketAddress source) {
    }

    private ProxyV2DatagramDecoder() {
    }

    /** True when the readable bytes start with the v2 signature. */
    public static boolean hasSignature(ByteBuf buf) {
        int r = buf.readerIndex();
        if (buf.readableBytes() < SIGNATURE.length) {
            return false;
        }
        for (int i = 0; i < SIGNATURE.length; i++) {
            if (buf.getByte(r + i) != SIGNATURE[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Decodes the header at the reader index (the index is not moved).
     *
     * @return the header, or null when it is malformed (bad version/command, truncated, bad length)
     */
    public static Header decode(ByteBuf buf) {
        int r = buf.readerIndex();
        int readable = buf.readableBytes();
        if (!hasSignature(buf) || readable < ADDRESSES_OFFSET) {
            return null;
        }
        int verCmd = buf.getUnsignedByte(r + VER_CMD_OFFSET);
        int family = buf.getUnsignedByte(r + FAMILY_OFFSET);
        int length = buf.getUnsignedShort(r + LENGTH_OFFSET);
        int total = ADDRESSES_OFFSET + length;
        if (total > readable || (verCmd != CMD_LOCAL && verCmd != CMD_PROXY)) {
            return null;
        }
        if (verCmd == CMD_LOCAL) {
            return new Header(total, null);
        }
        int addressFamily = family >> 4;
        int a = r + ADDRESSES_OFFSET;
        try {
            if (addressFamily == 1) {
                if (length < 12) {
                    return null;
                }
                byte[] ip = new byte[4];
                buf.getBytes(a, ip);
                return new Header(total, new InetSocketAddress(InetAddress.getByAddress(ip), buf.getUnsignedShort(a + 8)));
            }
            if (addressFamily == 2) {
                if (length < 36) {
                    return null;
                }
                byte[] ip = new byte[16];
                buf.getBytes(a, ip);
                return new Header(total, new InetSocketAddress(InetAddress.getByAddress(ip), buf.getUnsignedShort(a + 32)));
            }
        } catch (UnknownHostException e) {
            return null;
        }
        // AF_UNSPEC or AF_UNIX: no usable client address
        return new Header(total, null);
    }
}
