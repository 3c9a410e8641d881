package io.spillway.media.rtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class PacketClassifierTest {
    private static int classify(int length, int firstByte, int secondByte, boolean rtcpPort) {
        ByteBuf buf = Unpooled.buffer(length).writeZero(length);
        try {
            if (length > 0) {
                buf.setByte(0, firstByte);
            }
            if (length > 1) {
                buf.setByte(1, secondByte);
            }
            return PacketClassifier.classify(buf, rtcpPort, 1500);
        } finally {
            buf.release();
        }
    }

    @Test
    void rtpAndRtcpByPortAndRfc5761Range() {
        assertEquals(PacketClassifier.RTP, classify(12, 0x80, 0, false));
        assertEquals(PacketClassifier.RTP, classify(172, 0x80, 0x80 | 96, false));
        assertEquals(PacketClassifier.RTCP, classify(8, 0x80, 200, false), "SR on a muxed port");
        assertEquals(PacketClassifier.RTCP, classify(8, 0x80, 192, false));
        assertEquals(PacketClassifier.RTCP, classify(8, 0x80, 223, false));
        assertEquals(PacketClassifier.TOO_SHORT, classify(8, 0x80, 224, false), "224 is RTP, needs 12 bytes");
        assertEquals(PacketClassifier.RTP, classify(12, 0x80, 191, false));
        assertEquals(PacketClassifier.RTCP, classify(8, 0x80, 0, true), "dedicated RTCP port");
    }

    @Test
    void dropsByReason() {
        assertEquals(PacketClassifier.TOO_SHORT, classify(0, 0, 0, false));
        assertEquals(PacketClassifier.TOO_SHORT, classify(7, 0x80, 201, true));
        assertEquals(PacketClassifier.TOO_SHORT, classify(11, 0x80, 0, false));
        assertEquals(PacketClassifier.BAD_VERSION, classify(12, 0x40, 0, false));
        assertEquals(PacketClassifier.BAD_VERSION, classify(20, 0x00, 1, false), "STUN is not relayed as RTP");
        assertEquals(PacketClassifier.BAD_VERSION, classify(8, 0xC0, 201, true));
        assertEquals(PacketClassifier.OVERSIZE, classify(1501, 0x80, 0, false));
        assertEquals(PacketClassifier.RTP, classify(1500, 0x80, 0, false));
    }
}
