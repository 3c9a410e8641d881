package io.spillway.node.sip.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The PROXY protocol v2 header at the start of a datagram: IPv4, IPv6, LOCAL, TLVs and malformed ones. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ProxyV2DatagramDecoderTest {
    private static ByteBuf header(int verCmd, int family, byte[] addresses, int declaredLength) {
        ByteBuf b = Unpooled.buffer();
        b.writeBytes(ProxyV2DatagramDecoder.SIGNATURE);
        b.writeByte(verCmd).writeByte(family).writeShort(declaredLength);
        b.writeBytes(addresses);
        b.writeBytes("OPTIONS sip:x SIP/2.0\r\n".getBytes(StandardCharsets.US_ASCII));
        return b;
    }

    private static byte[] v4(String src, int sport, String dst, int dport) throws Exception {
        ByteBuf a = Unpooled.buffer();
        a.writeBytes(InetAddress.getByName(src).getAddress()).writeBytes(InetAddress.getByName(dst).getAddress());
        a.writeShort(sport).writeShort(dport);
        byte[] out = new byte[a.readableBytes()];
        a.readBytes(out);
        a.release();
        return out;
    }

    @Test
    void ipv4ProxyHeader() throws Exception {
        ByteBuf b = header(0x21, 0x12, v4("203.0.113.7", 5062, "192.0.2.1", 5060), 12);
        try {
            assertTrue(ProxyV2DatagramDecoder.hasSignature(b));
            ProxyV2DatagramDecoder.Header h = ProxyV2DatagramDecoder.decode(b);
            assertEquals(28, h.length());
            assertEquals(new InetSocketAddress("203.0.113.7", 5062), h.source());
            assertEquals(0, b.readerIndex(), "decode does not move the reader index");
        } finally {
            b.release();
        }
    }

    @Test
    void ipv6ProxyHeaderWithTlvs() throws Exception {
        ByteBuf a = Unpooled.buffer();
        a.writeBytes(InetAddress.getByName("2001:db8::7").getAddress()).writeBytes(InetAddress.getByName("::1").getAddress());
        a.writeShort(6000).writeShort(5060);
        a.writeByte(0x04).writeShort(2).writeShort(0); // a NOOP TLV
        byte[] addresses = new byte[a.readableBytes()];
        a.readBytes(addresses);
        a.release();
        ByteBuf b = header(0x21, 0x22, addresses, addresses.length);
        try {
            ProxyV2DatagramDecoder.Header h = ProxyV2DatagramDecoder.decode(b);
            assertEquals(16 + addresses.length, h.length(), "TLVs are skipped with the header");
            assertEquals(new InetSocketAddress("2001:db8::7", 6000), h.source());
        } finally {
            b.release();
        }
    }

    @Test
    void localCommandHasNoSource() {
        ByteBuf b = header(0x20, 0x00, new byte[0], 0);
        try {
            ProxyV2DatagramDecoder.Header h = ProxyV2DatagramDecoder.decode(b);
            assertEquals(16, h.length());
            assertNull(h.source());
        } finally {
            b.release();
        }
    }

    @Test
    void malformedHeadersAreRefused() throws Exception {
        ByteBuf badVersion = header(0x31, 0x12, v4("203.0.113.7", 1, "192.0.2.1", 2), 12);
        ByteBuf tooLong = header(0x21, 0x12, v4("203.0.113.7", 1, "192.0.2.1", 2), 4000);
        ByteBuf shortAddresses = header(0x21, 0x12, new byte[4], 4);
        ByteBuf plainSip = Unpooled.copiedBuffer("OPTIONS sip:x SIP/2.0\r\n\r\n", StandardCharsets.US_ASCII);
        try {
            assertNull(ProxyV2DatagramDecoder.decode(badVersion));
            assertNull(ProxyV2DatagramDecoder.decode(tooLong));
            assertNull(ProxyV2DatagramDecoder.decode(shortAddresses));
            assertFalse(ProxyV2DatagramDecoder.hasSignature(plainSip));
            assertNull(ProxyV2DatagramDecoder.decode(plainSip));
        } finally {
            badVersion.release();
            tooLong.release();
            shortAddresses.release();
            plainSip.release();
        }
    }
}
