package io.spillway.sip.fuzz;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.spillway.sip.SipLimits;
import io.spillway.sip.SipMessage;
import io.spillway.sip.SipParseException;
import io.spillway.sip.SipStreamFramer;
import io.spillway.testsupport.fuzz.FuzzCorpus;
import io.spillway.testsupport.fuzz.MutationFuzzer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The TCP stream framer on mutated streams of several messages: it never throws (errors go to the
 * sink), it buffers no more than one maximal message, it stops after a fatal error, and the messages
 * and errors it reports do not depend on how the stream was cut into reads (the same stream fed whole,
 * and in random chunks through {@link ByteBuf}s, gives the same sequence).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SipStreamFramerFuzzTest {
    private static final List<String> DICTIONARY = List.of("\r\n\r\n", "Content-Length: ", "l: ",
        "Content-Length: 0\r\n\r\n", "Content-Length: 99999\r\n", "Content-Length: -1\r\n",
        "INVITE sip:a@b SIP/2.0\r\n", "SIP/2.0 200 OK\r\n", "\r\n");

    @Test
    void framerReportsTheSameWhateverTheReadSizes() throws Exception {
        SplittableRandom chunking = new SplittableRandom(0xC4L);
        MutationFuzzer.of("sip-stream", FuzzCorpus.load(getClass(), "/fuzz/sip-stream"), DICTIONARY,
                SipParseException.class)
            .seed(0xF7A3EL).cases(50_000).budget(6, TimeUnit.SECONDS).maxLength(3 * SipLimits.MAX_MESSAGE_BYTES)
            .run(input -> {
                List<String> whole = frame(List.of(input), false);
                List<String> pieces = frame(MutationFuzzer.chunks(input, chunking, 16), true);
                if (!whole.equals(pieces)) {
                    throw new AssertionError("chunking changed the result:\n whole=" + whole + "\n chunks=" + pieces);
                }
            });
    }

    /** What the framer reports for the reads, as comparable strings. */
    private static List<String> frame(List<byte[]> reads, boolean viaByteBuf) {
        SipStreamFramer framer = new SipStreamFramer();
        List<String> events = new ArrayList<>();
        SipStreamFramer.Sink sink = new SipStreamFramer.Sink() {
            @Override
            public void message(SipMessage message) {
                events.add("msg " + message.callId() + " " + message.bodyLength());
            }

            @Override
            public void error(SipParseException error, boolean fatal) {
                events.add((fatal ? "fatal " : "error ") + error.reason());
            }
        };
        for (byte[] r : reads) {
            boolean ok;
            if (viaByteBuf) {
                ByteBuf buf = Unpooled.wrappedBuffer(r);
                ok = framer.decode(buf, sink);
                if (ok && buf.isReadable()) {
                    throw new AssertionError("framer left " + buf.readableBytes() + " bytes unread");
                }
                buf.release();
            } else {
                ok = framer.decode(r, 0, r.length, sink);
            }
            if (framer.bufferedBytes() > SipLimits.MAX_MESSAGE_BYTES + r.length) {
                throw new AssertionError("framer buffers " + framer.bufferedBytes() + " bytes");
            }
            if (!ok) {
                if (!framer.isFailed() || framer.decode(new byte[] {'x'}, 0, 1, sink)) {
                    throw new AssertionError("a failed framer accepted more input");
                }
                break;
            }
        }
        return events;
    }
}
