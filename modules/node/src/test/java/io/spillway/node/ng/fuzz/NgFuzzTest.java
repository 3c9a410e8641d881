package io.spillway.node.ng.fuzz;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import io.spillway.node.ng.BencodeDecoder;
import io.spillway.node.ng.BencodeEncoder;
import io.spillway.node.ng.BencodeException;
import io.spillway.node.ng.BencodeValue;
import io.spillway.node.ng.NgBackendException;
import io.spillway.node.ng.NgCommandDispatcher;
import io.spillway.node.ng.NgControlHandler;
import io.spillway.node.ng.NgLeg;
import io.spillway.node.ng.NgMediaBackend;
import io.spillway.node.ng.NgMediaOptions;
import io.spillway.node.ng.NgRelayStream;
import io.spillway.node.ng.NgReplyCacheTable;
import io.spillway.node.ng.NgServerConfig;
import io.spillway.node.ng.NgStats;
import io.spillway.node.ng.NgStreamStats;
import io.spillway.testsupport.fuzz.FuzzCorpus;
import io.spillway.testsupport.fuzz.MutationFuzzer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The ng control port on mutated commands (seeds: a real offer, answer, delete, query, list,
 * statistics, ping): the decoder returns a value or throws {@link BencodeException}, and what it
 * returns re-encodes to bytes that decode to the same value; the whole datagram path
 * ({@link NgControlHandler}: cookie, bencode, dispatch, SDP editing) never lets an exception reach its
 * internal-error counter and releases every buffer.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NgFuzzTest {
    private static final List<String> DICTIONARY = List.of("d", "e", "l", "i", "i-1e", "i99999999999999999999e",
        "0:", "1:", "99999:", "7:command", "5:offer", "6:answer", "6:delete", "7:call-id", "8:from-tag", "6:to-tag",
        "3:sdp", "5:flags", "7:replace", "8:rtcp-mux", "3:ICE", "5:query", "4:list", "de", "le");

    @Test
    void decoderThrowsOnlyBencodeExceptionAndRoundTrips() throws Exception {
        BencodeDecoder decoder = new BencodeDecoder();
        MutationFuzzer.of("ng-bencode", FuzzCorpus.load(getClass(), "/fuzz/ng"), DICTIONARY, BencodeException.class)
            .seed(0xBE4C0DEL).cases(200_000).budget(5, TimeUnit.SECONDS).maxLength(1 << 16)
            .run(input -> {
                int space = indexOf(input, (byte) ' ');
                int from = space < 0 ? 0 : space + 1;
                BencodeValue v = decoder.decode(input, from, input.length - from);
                ByteBuf out = Unpooled.buffer();
                try {
                    BencodeEncoder.encode(v, out);
                    byte[] again = new byte[out.readableBytes()];
                    out.readBytes(again);
                    BencodeValue w = decoder.decode(again);
                    if (!w.equals(v)) {
                        throw new AssertionError("re-encoding changed the value: " + v + " -> " + w);
                    }
                } finally {
                    out.release();
                }
            });
    }

    @Test
    void controlPortNeverFailsInternally() throws Exception {
        Logger.getLogger(NgCommandDispatcher.class.getName()).setLevel(Level.OFF);
        NgStats stats = new NgStats();
        AtomicLong nowNs = new AtomicLong();
        NgServerConfig config = NgServerConfig.of(new InetSocketAddress("127.0.0.1", 2223));
        NgCommandDispatcher dispatcher = new NgCommandDispatcher(config, new FakeBackend(), () -> false, () -> 0L, stats);
        EmbeddedChannel channel = new EmbeddedChannel(new NgControlHandler(new BencodeDecoder(), dispatcher,
            new NgReplyCacheTable(30_000, 64, nowNs::get), stats));
        InetSocketAddress from = new InetSocketAddress("127.0.0.1", 40000);
        try {
            MutationFuzzer.of("ng-port", FuzzCorpus.load(getClass(), "/fuzz/ng"), DICTIONARY)
                .seed(0x4E6L).cases(100_000).budget(5, TimeUnit.SECONDS).maxLength(1 << 16)
                .run(input -> {
                    nowNs.addAndGet(TimeUnit.SECONDS.toNanos(31)); // no reply-cache hits: every case is dispatched
                    DatagramPacket p = new DatagramPacket(Unpooled.buffer(input.length).writeBytes(input), config.listen(), from);
                    channel.writeInbound(p);
                    if (p.refCnt() != 0) {
                        throw new AssertionError("inbound datagram not released");
                    }
                    DatagramPacket reply;
                    while ((reply = channel.readOutbound()) != null) {
                        reply.release();
                    }
                    if (stats.internalErrors() != 0) {
                        throw new AssertionError("the ng port failed internally on this input");
                    }
                });
        } finally {
            channel.finishAndReleaseAll();
        }
    }

    private static int indexOf(byte[] b, byte c) {
        for (int i = 0; i < b.length; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }

    /** Hands out port numbers; no sockets. Bounded: the dispatcher's call table is. */
    private static final class FakeBackend implements NgMediaBackend {
        private int nextPort = 40_000;
        private long open;

        @Override
        public NgRelayStream openStream(String callId, String mediaType, boolean ipv6) throws NgBackendException {
            if (nextPort > 60_000) {
                nextPort = 40_000;
            }
            int port = nextPort;
            nextPort += 4;
            open++;
            return new NgRelayStream() {
                @Override
                public InetAddress advertisedAddress(NgLeg leg) {
                    return InetAddress.getLoopbackAddress();
                }

                @Override
                public int localRtpPort(NgLeg leg) {
                    return port + 2 * leg.ordinal();
                }

                @Override
                public int localRtcpPort(NgLeg leg) {
                    return port + 2 * leg.ordinal() + 1;
                }

                @Override
                public void setRemote(NgLeg leg, InetSocketAddress rtp, InetSocketAddress rtcp, boolean rtcpMux,
                                      NgMediaOptions options) {
                    // accepted
                }

                @Override
                public NgStreamStats stats(NgLeg leg) {
                    return NgStreamStats.EMPTY;
                }

                @Override
                public boolean endedByRelay() {
                    return false;
                }

                @Override
                public void close() {
                    open--;
                }
            };
        }

        @Override
        public long openStreams() {
            return open;
        }
    }
}
