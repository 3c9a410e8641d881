package io.spillway.sip;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The allocation budget of the proxy's per-message path as a test: parsing an 847-byte INVITE with
 * SDP from a direct ByteBuf and reading Via branch, Call-ID, CSeq, From/To tag, Max-Forwards and
 * Content-Length allocates at most 2 KB per message (of which the message's own copy of the
 * datagram is about half). Measured with the JVM's per-thread allocation counter.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SipParseAllocationTest {
    private static final int BUDGET_BYTES_PER_MESSAGE = 2048;

    @Test
    void parseWithProxyAccessorsStaysWithinBudget() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        byte[] invite = FixtureCorpusTest.load("invite-audio-video.sip");
        assertTrue(invite.length >= 800, "a realistic INVITE with SDP");
        // A wrapped direct NIO buffer: not tracked by the (paranoid) leak detector, whose access
        // records would otherwise be counted as parser allocation.
        ByteBuf datagram = Unpooled.wrappedBuffer(
                java.nio.ByteBuffer.allocateDirect(invite.length).put(invite).flip());
        try {
            long sink = 0;
            for (int i = 0; i < 20_000; i++) {
                sink += touch(SipParser.parse(datagram));
            }
            int n = 20_000;
            long tid = Thread.currentThread().getId();
            long before = mx.getThreadAllocatedBytes(tid);
            for (int i = 0; i < n; i++) {
                sink += touch(SipParser.parse(datagram));
            }
            long perMessage = (mx.getThreadAllocatedBytes(tid) - before) / n;
            System.out.println("SipParseAllocationTest: " + perMessage + " B per parsed message (" + invite.length
                    + "-byte INVITE), checksum " + sink);
            assertTrue(perMessage <= BUDGET_BYTES_PER_MESSAGE, perMessage + " B per message");
        } finally {
            datagram.release();
        }
    }

    private static long touch(SipMessage m) {
        return m.topViaBranch().length() + m.callId().length() + m.cseqNumber() + m.cseqMethod().length()
                + m.fromTag().length() + (m.toTag() == null ? 0 : 1) + m.maxForwards() + m.contentLength();
    }
}
