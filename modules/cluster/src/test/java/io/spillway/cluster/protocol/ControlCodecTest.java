package io.spillway.cluster.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ControlCodecTest {
    private static final byte[] SECRET = "sixteen-bytes-at-least-secret".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TOKEN = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
    private static final long REQUEST_ID = 0x0003_0000_DEAD_BEEFL;
    private static final long TIMESTAMP_US = 1_764_000_000_000_000L;

    private final ControlCodec codec = new ControlCodec(SECRET);
    private final ByteBuf buf = Unpooled.directBuffer(128);

    @AfterEach
    void release() {
        assertEquals(true, buf.release());
    }

    private int header(final int type) {
        return codec.begin(buf, type, REQUEST_ID, 3, 7, TIMESTAMP_US);
    }

    private void assertHeader(final int type) {
        assertEquals(ControlCodec.OK, codec.verify(buf));
        assertEquals(MessageType.datagramLength(type), buf.readableBytes());
        assertEquals(HeaderFlyweight.MAGIC, HeaderFlyweight.magic(buf, 0));
        assertEquals(HeaderFlyweight.VERSION, HeaderFlyweight.version(buf, 0));
        assertEquals(type, HeaderFlyweight.type(buf, 0));
        assertEquals(REQUEST_ID, HeaderFlyweight.requestId(buf, 0));
        assertEquals(3, HeaderFlyweight.originNodeId(buf, 0));
        assertEquals(7, HeaderFlyweight.senderNodeId(buf, 0));
        assertEquals(TIMESTAMP_US, HeaderFlyweight.timestampUs(buf, 0));
    }

    @Test
    void connectRoundTrip() {
        final int base = header(MessageType.CONNECT);
        ConnectFlyweight.put(buf, HeaderFlyweight.bodyIndex(base), 0xFFFF_FFF0L, 100, 7);
        codec.finish(buf, base);
        assertHeader(MessageType.CONNECT);
        final int body = HeaderFlyweight.bodyIndex(0);
        assertEquals(0xFFFF_FFF0L, ConnectFlyweight.demandBandwidthBytesPerSec(buf, body));
        assertEquals(100, ConnectFlyweight.demandPacketsPerSec(buf, body));
        assertEquals(7, ConnectFlyweight.hopCount(buf, body));
    }

    @Test
    void ackRoundTrip() {
        final int base = header(MessageType.ACK);
        AckFlyweight.put(buf, HeaderFlyweight.bodyIndex(base), MessageType.ACCEPT);
        codec.finish(buf, base);
        assertHeader(MessageType.ACK);
        assertEquals(MessageType.ACCEPT, AckFlyweight.ackedType(buf, HeaderFlyweight.bodyIndex(0)));
    }

    @Test
    void acceptRoundTripIpv4AndIpv6() throws Exception {
        for (final String host : new String[] {"192.0.2.10", "2001:db8::5"}) {
            buf.clear();
            final InetSocketAddress sip = new InetSocketAddress(InetAddress.getByName(host), 5062);
            final int base = header(MessageType.ACCEPT);
            AcceptFlyweight.put(buf, HeaderFlyweight.bodyIndex(base), 7, sip, TOKEN);
            codec.finish(buf, base);
            assertHeader(MessageType.ACCEPT);
            final int body = HeaderFlyweight.bodyIndex(0);
            assertEquals(7, AcceptFlyweight.nodeId(buf, body));
            assertEquals(sip, AcceptFlyweight.sipAddress(buf, body));
            final byte[] token = new byte[ReservationToken.LENGTH];
            AcceptFlyweight.token(buf, body, token);
            assertArrayEquals(TOKEN, token);
        }
    }

    @Test
    void acceptWithUnknownFamilyHasNoAddress() throws Exception {
        final int base = header(MessageType.ACCEPT);
        final int body = HeaderFlyweight.bodyIndex(base);
        AcceptFlyweight.put(buf, body, 7, new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 1), TOKEN);
        buf.setByte(body + AcceptFlyweight.FAMILY_OFFSET, 5);
        assertNull(AcceptFlyweight.sipAddress(buf, body));
        codec.finish(buf, base);
    }

    @Test
    void allBusyReleaseLoadRoundTrip() {
        int base = header(MessageType.ALL_BUSY);
        AllBusyFlyweight.put(buf, HeaderFlyweight.bodyIndex(base), 3);
        codec.finish(buf, base);
        assertHeader(MessageType.ALL_BUSY);
        assertEquals(3, AllBusyFlyweight.hopCount(buf, HeaderFlyweight.bodyIndex(0)));

        buf.clear();
        base = header(MessageType.RELEASE);
        ReleaseFlyweight.put(buf, HeaderFlyweight.bodyIndex(base), TOKEN);
        codec.finish(buf, base);
        assertHeader(MessageType.RELEASE);
        final byte[] token = new byte[ReservationToken.LENGTH];
        ReleaseFlyweight.token(buf, HeaderFlyweight.bodyIndex(0), token);
        assertArrayEquals(TOKEN, token);

        buf.clear();
        base = header(MessageType.LOAD);
        LoadFlyweight.put(buf, HeaderFlyweight.bodyIndex(base), 4000, 12, 5_000_000_000L, 250_000,
            LoadFlyweight.FLAG_FULL | LoadFlyweight.FLAG_DRAINING);
        codec.finish(buf, base);
        assertHeader(MessageType.LOAD);
        final int body = HeaderFlyweight.bodyIndex(0);
        assertEquals(4000, LoadFlyweight.activeCalls(buf, body));
        assertEquals(12, LoadFlyweight.reservations(buf, body));
        assertEquals(5_000_000_000L, LoadFlyweight.bandwidthBytesPerSec(buf, body));
        assertEquals(250_000, LoadFlyweight.packetsPerSec(buf, body));
        assertEquals(LoadFlyweight.FLAG_FULL | LoadFlyweight.FLAG_DRAINING, LoadFlyweight.flags(buf, body));
    }

    @Test
    void everyTruncationIsMalformedAndNeverThrows() {
        for (int type = MessageType.CONNECT; type < MessageType.LIMIT; type++) {
            buf.clear();
            writeValid(type);
            final int length = buf.readableBytes();
            for (int cut = 0; cut < length; cut++) {
                final ByteBuf slice = buf.slice(0, cut);
                assertEquals(ControlCodec.MALFORMED, codec.verify(slice), MessageType.name(type) + " cut at " + cut);
            }
            // One byte too many is malformed too.
            final ByteBuf longer = Unpooled.buffer(length + 1).writeBytes(buf, 0, length).writeByte(0);
            assertEquals(ControlCodec.MALFORMED, codec.verify(longer));
            assertEquals(true, longer.release());
        }
    }

    @Test
    void everyFlippedByteIsRejected() {
        for (int type = MessageType.CONNECT; type < MessageType.LIMIT; type++) {
            buf.clear();
            writeValid(type);
            for (int i = 0; i < buf.readableBytes(); i++) {
                for (final int mask : new int[] {0x01, 0x80, 0xFF}) {
                    final byte original = buf.getByte(i);
                    buf.setByte(i, original ^ mask);
                    final int verdict = codec.verify(buf);
                    assertNotEquals(ControlCodec.OK, verdict, MessageType.name(type) + " byte " + i);
                    buf.setByte(i, original);
                }
            }
            assertEquals(ControlCodec.OK, codec.verify(buf));
        }
    }

    @Test
    void headerBytesThatBreakFramingAreMalformedOthersBadMac() {
        writeValid(MessageType.CONNECT);
        buf.setByte(HeaderFlyweight.VERSION_OFFSET, 2);
        assertEquals(ControlCodec.MALFORMED, codec.verify(buf));
        buf.setByte(HeaderFlyweight.VERSION_OFFSET, HeaderFlyweight.VERSION);
        buf.setByte(HeaderFlyweight.TYPE_OFFSET, 99);
        assertEquals(ControlCodec.MALFORMED, codec.verify(buf));
        buf.setByte(HeaderFlyweight.TYPE_OFFSET, MessageType.CONNECT);
        buf.setByte(HeaderFlyweight.REQUEST_ID_OFFSET, 0x55);
        assertEquals(ControlCodec.BAD_MAC, codec.verify(buf));
    }

    @Test
    void randomGarbageNeverThrows() {
        final java.util.Random random = new java.util.Random(42);
        final byte[] bytes = new byte[200];
        for (int i = 0; i < 20_000; i++) {
            random.nextBytes(bytes);
            final int length = random.nextInt(bytes.length);
            if (random.nextBoolean() && length >= 4) {
                bytes[0] = 0x53;
                bytes[1] = 0x50;
                bytes[2] = 1;
                bytes[3] = (byte) (1 + random.nextInt(6));
            }
            assertNotEquals(ControlCodec.OK, codec.verify(Unpooled.wrappedBuffer(bytes, 0, length)));
        }
    }

    @Test
    void otherSecretIsBadMac() {
        writeValid(MessageType.LOAD);
        final ControlCodec other = new ControlCodec("another-secret-of-16-bytes".getBytes(StandardCharsets.US_ASCII));
        assertEquals(ControlCodec.BAD_MAC, other.verify(buf));
    }

    @Test
    void tokensRoundTripThroughText() {
        final String text = ReservationToken.toText(TOKEN);
        assertEquals(ReservationToken.TEXT_LENGTH, text.length());
        assertArrayEquals(TOKEN, ReservationToken.fromText(text));
        assertNull(ReservationToken.fromText("short"));
        assertNull(ReservationToken.fromText("!!!!!!!!!!!!!!!!!!!!!!"));
        assertNull(ReservationToken.fromText(null));
    }

    private void writeValid(final int type) {
        final int base = header(type);
        final int body = HeaderFlyweight.bodyIndex(base);
        switch (type) {
            case MessageType.CONNECT -> ConnectFlyweight.put(buf, body, 8000, 50, 1);
            case MessageType.ACK -> AckFlyweight.put(buf, body, MessageType.CONNECT);
            case MessageType.ACCEPT -> AcceptFlyweight.put(buf, body, 7,
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 5060), TOKEN);
            case MessageType.ALL_BUSY -> AllBusyFlyweight.put(buf, body, 2);
            case MessageType.RELEASE -> ReleaseFlyweight.put(buf, body, TOKEN);
            case MessageType.LOAD -> LoadFlyweight.put(buf, body, 1, 2, 3, 4, 0);
            default -> throw new AssertionError(type);
        }
        codec.finish(buf, base);
    }
}
