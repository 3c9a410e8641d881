package io.spillway.cluster.fuzz;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.spillway.cluster.protocol.AcceptFlyweight;
import io.spillway.cluster.protocol.ConnectFlyweight;
import io.spillway.cluster.protocol.ControlCodec;
import io.spillway.cluster.protocol.HeaderFlyweight;
import io.spillway.cluster.protocol.LoadFlyweight;
import io.spillway.cluster.protocol.MessageType;
import io.spillway.testsupport.fuzz.FuzzCorpus;
import io.spillway.testsupport.fuzz.MutationFuzzer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The control codec on mutated datagrams (the seeds are valid, signed datagrams of every type, made
 * by {@link ControlSeeds}): {@link ControlCodec#verify} never throws and never accepts a datagram that
 * differs from a signed one; a mutated datagram of a known type and length, re-signed with the
 * cluster key (an attacker who holds the key, or a buggy peer), verifies and every field reads
 * without throwing.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ControlCodecFuzzTest {
    static final byte[] SECRET = "fuzz-cluster-secret-0123456789".getBytes(StandardCharsets.US_ASCII);

    @Test
    void seedsAreTheSignedDatagramsOfEveryType() throws Exception {
        List<byte[]> seeds = FuzzCorpus.load(getClass(), "/fuzz/control");
        List<byte[]> made = List.copyOf(ControlSeeds.seeds().values());
        org.junit.jupiter.api.Assertions.assertEquals(made.size(), seeds.size(), "one seed per message type");
        ControlCodec codec = new ControlCodec(SECRET);
        for (int i = 0; i < seeds.size(); i++) {
            org.junit.jupiter.api.Assertions.assertArrayEquals(made.get(i), seeds.get(i),
                "seed " + i + " is stale: regenerate with ControlSeeds.main");
            org.junit.jupiter.api.Assertions.assertEquals(ControlCodec.OK, codec.verify(Unpooled.wrappedBuffer(seeds.get(i))));
        }
    }

    @Test
    void verifyNeverThrowsAndOnlyAcceptsSignedDatagrams() throws Exception {
        List<byte[]> seeds = FuzzCorpus.load(getClass(), "/fuzz/control");
        ControlCodec codec = new ControlCodec(SECRET);
        MutationFuzzer.of("control", seeds, List.of())
            .seed(0xC0DEL).cases(300_000).budget(5, TimeUnit.SECONDS).maxLength(ControlCodec.MAX_DATAGRAM_LENGTH + 64)
            .run(input -> {
                ByteBuf buf = Unpooled.wrappedBuffer(input);
                int verdict = codec.verify(buf);
                if (verdict == ControlCodec.OK && seeds.stream().noneMatch(s -> Arrays.equals(s, input))) {
                    throw new AssertionError("a mutated datagram verified without being re-signed");
                }
                if (verdict != ControlCodec.OK && verdict != ControlCodec.MALFORMED && verdict != ControlCodec.BAD_MAC) {
                    throw new AssertionError("verdict " + verdict);
                }
                resignedReadsAllFields(codec, input);
            });
    }

    private static void resignedReadsAllFields(ControlCodec codec, byte[] input) {
        if (input.length < HeaderFlyweight.HEADER_LENGTH + HeaderFlyweight.MAC_LENGTH) {
            return;
        }
        ByteBuf buf = Unpooled.buffer(input.length);
        buf.writeBytes(input);
        int type = HeaderFlyweight.type(buf, 0);
        if (HeaderFlyweight.magic(buf, 0) != HeaderFlyweight.MAGIC || HeaderFlyweight.version(buf, 0) != HeaderFlyweight.VERSION
            || !MessageType.isKnown(type) || input.length != MessageType.datagramLength(type)) {
            return;
        }
        buf.writerIndex(0);
        codec.finish(buf, 0);
        if (codec.verify(buf) != ControlCodec.OK) {
            throw new AssertionError("a re-signed " + MessageType.name(type) + " does not verify");
        }
        long sum = HeaderFlyweight.requestId(buf, 0) + HeaderFlyweight.originNodeId(buf, 0)
            + HeaderFlyweight.senderNodeId(buf, 0) + HeaderFlyweight.timestampUs(buf, 0);
        int body = HeaderFlyweight.bodyIndex(0);
        if (type == MessageType.CONNECT) {
            sum += ConnectFlyweight.demandBandwidthBytesPerSec(buf, body) + ConnectFlyweight.demandPacketsPerSec(buf, body)
                + ConnectFlyweight.hopCount(buf, body);
        } else if (type == MessageType.ACCEPT) {
            byte[] token = new byte[16];
            AcceptFlyweight.token(buf, body, token);
            sum += AcceptFlyweight.nodeId(buf, body) + AcceptFlyweight.sipPort(buf, body) + AcceptFlyweight.family(buf, body);
            java.net.InetSocketAddress sip = AcceptFlyweight.sipAddress(buf, body);
            sum += sip == null ? 0 : sip.getPort();
        } else if (type == MessageType.LOAD) {
            sum += LoadFlyweight.activeCalls(buf, body) + LoadFlyweight.reservations(buf, body)
                + LoadFlyweight.bandwidthBytesPerSec(buf, body) + LoadFlyweight.packetsPerSec(buf, body)
                + LoadFlyweight.flags(buf, body);
        }
        if (sum == 42) {
            buf.clear(); // keeps the reads from being optimised away; no meaning
        }
    }
}
