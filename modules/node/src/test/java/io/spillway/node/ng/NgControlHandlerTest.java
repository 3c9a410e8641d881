package io.spillway.node.ng;

import static io.spillway.node.ng.NgSdpEditorTest.fixture;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class NgControlHandlerTest {
    private static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 2223);
    private static final InetSocketAddress KAMAILIO = new InetSocketAddress("127.0.0.1", 40000);
    private static final InetSocketAddress OTHER = new InetSocketAddress("127.0.0.1", 40001);

    private final RecordingMediaBackend backend = new RecordingMediaBackend();
    private final NgStats stats = new NgStats();
    private final AtomicLong nowNs = new AtomicLong();
    private final EmbeddedChannel channel;

    NgControlHandlerTest() throws Exception {
        NgServerConfig config = NgServerConfig.of(LOCAL);
        NgCommandDispatcher dispatcher = new NgCommandDispatcher(config, backend, () -> false, () -> 0L, stats);
        channel = new EmbeddedChannel(new NgControlHandler(new BencodeDecoder(), dispatcher,
            new NgReplyCacheTable(30_000, 100, nowNs::get), stats));
    }

    @AfterEach
    void noLeftovers() {
        assertNull(channel.readOutbound(), "every reply was read by the test");
        channel.finishAndReleaseAll();
    }

    private DatagramPacket request(String text, InetSocketAddress from) {
        return request(text.getBytes(StandardCharsets.ISO_8859_1), from);
    }

    private DatagramPacket request(byte[] bytes, InetSocketAddress from) {
        return new DatagramPacket(Unpooled.buffer(bytes.length).writeBytes(bytes), LOCAL, from);
    }

    private byte[] send(DatagramPacket packet) {
        channel.writeInbound(packet);
        assertEquals(0, packet.refCnt(), "inbound datagram released");
        DatagramPacket reply = channel.readOutbound();
        if (reply == null) {
            return null;
        }
        try {
            return ByteBufUtil.getBytes(reply.content());
        } finally {
            reply.release();
        }
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    @Test
    void pingGetsPongUnderTheSameCookie() {
        assertEquals("5323_1 d6:result4:ponge", text(send(request("5323_1 d7:command4:pinge", KAMAILIO))));
    }

    @Test
    void retransmittedCookieGetsTheIdenticalReplyAndNoSecondAction() throws Exception {
        String sdp = fixture("offer-audio-video.sdp");
        String body = "d7:command5:offer7:call-id2:c18:from-tag1:f3:sdp" + sdp.length() + ":" + sdp + "e";
        byte[] first = send(request("abc " + body, KAMAILIO));
        assertTrue(text(first).startsWith("abc d6:result2:ok3:sdp"), text(first));
        byte[] again = send(request("abc " + body, KAMAILIO));
        assertArrayEquals(first, again);
        assertEquals(2, backend.streams.size(), "one offer executed, not two");
        assertEquals(1, stats.retransmissions());
        // Same cookie from another source is a different request (and here an already-known call).
        byte[] other = send(request("abc " + body, OTHER));
        assertEquals(2, backend.streams.size(), "re-offer reuses the ports");
        assertTrue(text(other).startsWith("abc d6:result2:ok"), text(other));
        // After the window, the cookie is forgotten.
        nowNs.addAndGet(31_000_000_000L);
        send(request("abc d7:command4:pinge", KAMAILIO));
        assertEquals(1, stats.retransmissions());
    }

    @Test
    void malformedBencodeGetsAnErrorAndTheCookie() {
        String reply = text(send(request("x1 d7:command4:ping", KAMAILIO)));
        assertTrue(reply.startsWith("x1 d12:error-reason"), reply);
        assertTrue(reply.contains("Malformed bencode: unexpected end of input at offset 16"), reply);
        assertTrue(reply.endsWith("6:result5:errore"), reply);
        assertTrue(text(send(request("x2 li1ee", KAMAILIO))).contains("Message is not a dictionary"));
        assertTrue(text(send(request("x3 ", KAMAILIO))).contains("unexpected end of input"));
        assertEquals(3, stats.malformed());
    }

    @Test
    void datagramsWithoutACookieAreDroppedAndCounted() {
        assertNull(send(request("d7:command4:pinge", KAMAILIO)));
        assertNull(send(request(" d7:command4:pinge", KAMAILIO)));
        assertNull(send(request(new byte[] {1, 2, 3, ' ', 'd', 'e'}, KAMAILIO)));
        assertNull(send(request(new byte[0], KAMAILIO)));
        assertNull(send(request("c".repeat(200) + " de", KAMAILIO)));
        assertEquals(5, stats.dropped());
        assertEquals("ok d6:result4:ponge", text(send(request("ok d7:command4:pinge", KAMAILIO))));
    }
}
