package io.spillway.media.rtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class RtpHeaderFlyweightTest {
    @Test
    void readsEveryFixedHeaderField() {
        // V=2 P=1 X=1 CC=3 | M=1 PT=111 | seq 0xFFFE | ts 0xFFFFFFF0 | ssrc 0xDEADBEEF
        ByteBuf buf = Unpooled.buffer().writeByte(0xB3).writeByte(0x80 | 111).writeShort(0xFFFE)
            .writeInt(0xFFFFFFF0).writeInt(0xDEADBEEF).writeZero(12);
        try {
            RtpHeaderFlyweight rtp = new RtpHeaderFlyweight().wrap(buf);
            assertTrue(rtp.isValid());
            assertEquals(2, rtp.version());
            assertTrue(rtp.padding());
            assertTrue(rtp.extension());
            assertEquals(3, rtp.csrcCount());
            assertTrue(rtp.marker());
            assertEquals(111, rtp.payloadType());
            assertEquals(0xFFFE, rtp.sequenceNumber());
            assertEquals(0xFFFFFFF0, rtp.timestamp());
            assertEquals(0xDEADBEEF, rtp.ssrc());
            assertEquals(24, rtp.length());
        } finally {
            buf.release();
        }
    }

    @Test
    void honoursOffsetAndRejectsShortOrWrongVersion() {
        ByteBuf buf = Unpooled.buffer().writeZero(5).writeByte(0x80).writeByte(8).writeShort(42)
            .writeInt(1).writeInt(2);
        try {
            RtpHeaderFlyweight rtp = new RtpHeaderFlyweight().wrap(buf, 5, 12);
            assertTrue(rtp.isValid());
            assertEquals(42, rtp.sequenceNumber());
            assertEquals(8, rtp.payloadType());
            assertFalse(rtp.wrap(buf, 5, 11).isValid(), "11 bytes are not an RTP header");
            buf.setByte(5, 0x40);
            assertFalse(rtp.wrap(buf, 5, 12).isValid(), "version 1");
        } finally {
            buf.release();
        }
    }

    @Test
    void rtcpHeaderFields() {
        ByteBuf buf = Unpooled.buffer().writeByte(0x81).writeByte(200).writeShort(6).writeInt(0xCAFEBABE);
        try {
            RtcpHeaderFlyweight rtcp = new RtcpHeaderFlyweight().wrap(buf);
            assertTrue(rtcp.isValid());
            assertEquals(1, rtcp.receptionReportCount());
            assertEquals(200, rtcp.packetType());
            assertEquals(6, rtcp.lengthWords());
            assertEquals(0xCAFEBABE, rtcp.senderSsrc());
            assertFalse(rtcp.wrap(buf, 0, 7).isValid());
        } finally {
            buf.release();
        }
    }
}
