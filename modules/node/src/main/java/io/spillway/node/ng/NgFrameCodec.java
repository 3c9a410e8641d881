package io.spillway.node.ng;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;

/**
 * The ng datagram framing: {@code cookie SP dictionary}. The cookie is 1 to {@link #MAX_COOKIE_LENGTH}
 * visible ASCII bytes (%x21-7E); the reply carries the same cookie. No I/O.
 */
public final class NgFrameCodec {
    /** Longest cookie accepted; rtpengine clients send 10-30 bytes. */
    public static final int MAX_COOKIE_LENGTH = 128;

    private NgFrameCodec() {
    }

    /**
     * Length of the cookie at the start of {@code datagram[0, length)}: the index of the first space,
     * or -1 if there is no valid cookie followed by a space.
     */
    public static int consumeCookie(byte[] datagram, int length) {
        int max = Math.min(length, MAX_COOKIE_LENGTH + 1);
        for (int i = 0; i < max; i++) {
            byte b = datagram[i];
            if (b == ' ') {
                return i == 0 ? -1 : i;
            }
            if (b < 0x21 || b > 0x7e) {
                return -1;
            }
        }
        return -1;
    }

    /** Encodes {@code cookie SP bencode(reply)} into a new buffer from {@code alloc}. */
    public static ByteBuf encode(String cookie, BencodeValue.Dict reply, ByteBufAllocator alloc) {
        ByteBuf out = alloc.buffer(256);
        try {
            out.writeCharSequence(cookie, StandardCharsets.US_ASCII);
            out.writeByte(' ');
            BencodeEncoder.encode(reply, out);
            return out;
        } catch (RuntimeException e) {
            out.release();
            throw e;
        }
    }
}
