package io.spillway.sip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SipStreamFramerTest {
    static final byte[] A = SipMessageTest.INVITE.getBytes(StandardCharsets.UTF_8);
    static final byte[] B = ("SIP/2.0 200 OK\r\nVia: SIP/2.0/TCP 10.0.0.1;branch=z9hG4bKb\r\nFrom: <sip:a@x>;tag=1\r\n"
            + "To: <sip:b@y>;tag=2\r\nCall-ID: b@x\r\nCSeq: 5 BYE\r\nContent-Length: 0\r\n\r\n")
            .getBytes(StandardCharsets.UTF_8);

    /** Collects what the framer delivers. */
    static final class Collect implements SipStreamFramer.Sink {
        final List<SipMessage> messages = new ArrayList<>();
        final List<SipParseException> errors = new ArrayList<>();
        boolean fatal;

        @Override
        public void message(SipMessage message) {
            messages.add(message);
        }

        @Override
        public void error(SipParseException error, boolean isFatal) {
            errors.add(error);
            fatal |= isFatal;
        }
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.write(p, 0, p.length);
        }
        return out.toByteArray();
    }

    /** Feeds {@code data} to a fresh framer through pooled ByteBufs cut at {@code cuts}; checks every buffer is released. */
    static Collect feed(byte[] data, int... cuts) {
        SipStreamFramer f = new SipStreamFramer();
        Collect c = new Collect();
        int prev = 0;
        List<ByteBuf> used = new ArrayList<>();
        for (int i = 0; i <= cuts.length; i++) {
            int next = i < cuts.length ? cuts[i] : data.length;
            ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer(Math.max(1, next - prev));
            buf.writeBytes(data, prev, next - prev);
            used.add(buf);
            try {
                boolean ok = f.decode(buf, c);
                assertEquals(!c.fatal, ok);
                assertTrue(c.fatal || !buf.isReadable(), "framer consumes all input until it fails");
            } finally {
                buf.release();
            }
            prev = next;
        }
        for (ByteBuf b : used) {
            assertEquals(0, b.refCnt());
        }
        return c;
    }

    @Test
    void splitAtEveryBytePosition() {
        byte[] stream = concat("\r\n\r\n".getBytes(StandardCharsets.US_ASCII), A, "\r\n".getBytes(StandardCharsets.US_ASCII), B);
        for (int cut = 0; cut <= stream.length; cut++) {
            Collect c = feed(stream, cut);
            assertTrue(c.errors.isEmpty(), () -> c.errors.toString());
            assertEquals(2, c.messages.size(), "cut at " + cut);
            assertArrayEquals(A, c.messages.get(0).toBytes());
            assertArrayEquals(B, c.messages.get(1).toBytes());
        }
    }

    @Test
    void oneByteAtATime() {
        byte[] stream = concat(A, B, A);
        int[] cuts = new int[stream.length - 1];
        for (int i = 0; i < cuts.length; i++) {
            cuts[i] = i + 1;
        }
        Collect c = feed(stream, cuts);
        assertEquals(3, c.messages.size());
        assertEquals("call-1@10.0.0.1", c.messages.get(2).callId());
    }

    @Test
    void manyMessagesInOneBuffer() {
        byte[][] parts = new byte[200][];
        for (int i = 0; i < parts.length; i++) {
            parts[i] = i % 3 == 0 ? A : i % 3 == 1 ? B : "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        }
        Collect c = feed(concat(parts));
        assertEquals(134, c.messages.size());
        assertTrue(c.errors.isEmpty());
    }

    @Test
    void missingContentLengthIsFatal() {
        String noCl = new String(B, StandardCharsets.UTF_8).replace("Content-Length: 0\r\n", "");
        Collect c = feed(concat(noCl.getBytes(StandardCharsets.UTF_8), A));
        assertTrue(c.fatal);
        assertEquals("missing Content-Length on a stream transport", c.errors.get(0).reason());
        assertTrue(c.messages.isEmpty());
    }

    @Test
    void badMessageIsReportedAndStreamContinues() {
        String noCallId = new String(B, StandardCharsets.UTF_8).replace("Call-ID: b@x\r\n", "");
        Collect c = feed(concat(noCallId.getBytes(StandardCharsets.UTF_8), A));
        assertFalse(c.fatal);
        assertEquals("missing Call-ID", c.errors.get(0).reason());
        assertEquals(1, c.messages.size());
    }

    @Test
    void oversizeIsFatal() {
        String big = new String(B, StandardCharsets.UTF_8).replace("Content-Length: 0", "Content-Length: 65535");
        Collect c = feed(big.getBytes(StandardCharsets.UTF_8));
        assertTrue(c.fatal);
        Collect endless = feed(new byte[70_000]);
        assertTrue(endless.fatal);
        byte[] noBlank = new byte[70_000];
        java.util.Arrays.fill(noBlank, (byte) 'a');
        Collect c2 = feed(noBlank);
        assertTrue(c2.fatal);
        assertEquals("header section too large", c2.errors.get(0).reason());
    }
}
