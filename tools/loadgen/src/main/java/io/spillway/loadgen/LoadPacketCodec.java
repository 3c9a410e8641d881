package io.spillway.loadgen;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;

/**
 * The load generator's RTP packets. Network byte order.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|X|  CC   |M|     PT=0    |       sequence number         |  0  RTP header
 * |                           timestamp                           |  4
 * |                             SSRC                              |  8
 * +---------------------------------------------------------------+
 * |                intended send time, ns (64 bits)               | 12 payload: the stamp
 * |                                                               |
 * |                         stream index                          | 20
 * |                 stream sequence (64 bits)                     | 24
 * |                                                               |
 * |   measured    |  zero padding up to the payload length ...    | 32
 * </pre>
 */
final class LoadPacketCodec {
    static final int RTP_HEADER_LENGTH = 12;
    static final int SEND_TIME_OFFSET = 12;
    static final int STREAM_OFFSET = 20;
    static final int SEQUENCE_OFFSET = 24;
    static final int MEASURED_OFFSET = 32;
    /** Payload bytes the stamp needs. */
    static final int STAMP_LENGTH = MEASURED_OFFSET + 1 - RTP_HEADER_LENGTH;

    private LoadPacketCodec() {
    }

    /** Writes a whole packet into {@code buf} (position 0, limit = packet length). */
    static void write(ByteBuffer buf, int stream, long sequence, long intendedNs, boolean measured,
                      int payloadBytes) {
        buf.clear();
        buf.put(0, (byte) 0x80);
        buf.put(1, (byte) 0);
        buf.putShort(2, (short) sequence);
        buf.putInt(4, (int) (sequence * 160));
        buf.putInt(8, 0x5350_0000 | stream);
        buf.putLong(SEND_TIME_OFFSET, intendedNs);
        buf.putInt(STREAM_OFFSET, stream);
        buf.putLong(SEQUENCE_OFFSET, sequence);
        buf.put(MEASURED_OFFSET, (byte) (measured ? 1 : 0));
        buf.limit(RTP_HEADER_LENGTH + payloadBytes);
    }

    /** Writes a whole packet into an empty {@code buf} (writer index = packet length). */
    static void write(ByteBuf buf, int stream, long sequence, long intendedNs, boolean measured, int payloadBytes) {
        int length = RTP_HEADER_LENGTH + payloadBytes;
        buf.setZero(0, length);
        buf.setByte(0, 0x80);
        buf.setShort(2, (short) sequence);
        buf.setInt(4, (int) (sequence * 160));
        buf.setInt(8, 0x5350_0000 | stream);
        buf.setLong(SEND_TIME_OFFSET, intendedNs);
        buf.setInt(STREAM_OFFSET, stream);
        buf.setLong(SEQUENCE_OFFSET, sequence);
        buf.setByte(MEASURED_OFFSET, measured ? 1 : 0);
        buf.writerIndex(length);
    }
}
