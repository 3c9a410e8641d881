package io.spillway.node.ng;

import static io.spillway.node.ng.NgSdpEditorTest.fixture;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spillway.media.MediaConfig;
import io.spillway.media.RelayEngine;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The ng port over real UDP with the media module's relay engine: offer/answer of an audio+video
 * call, RTP through the relay both ways byte-exact, retransmissions, delete, query/list/statistics,
 * malformed input, IPv6.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NgRelayIT {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private RelayEngine engine;
    private NgServer server;
    private NgTestClient client;
    private final AtomicBoolean over = new AtomicBoolean();
    private final List<DatagramSocket> sockets = new java.util.ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        engine = new RelayEngine(MediaConfig.builder().portRange(46_000, 46_999).eventLoops(1)
            .bindIpv4(LOOPBACK).bindIpv6(InetAddress.getByName("::1")).quarantineMs(0).build());
        engine.start();
        server = new NgServer(NgServerConfig.of(new InetSocketAddress(LOOPBACK, 0)),
            new MediaEngineNgBackend(engine), over::get);
        server.start();
        client = new NgTestClient(server.localAddress());
    }

    @AfterEach
    void stop() {
        sockets.forEach(DatagramSocket::close);
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
        if (engine != null) {
            engine.close();
        }
    }

    private DatagramSocket endpoint(InetAddress at) throws Exception {
        DatagramSocket s = new DatagramSocket(new InetSocketAddress(at, 0));
        s.setSoTimeout(200);
        sockets.add(s);
        return s;
    }

    private static String sdp(String user, DatagramSocket audio, DatagramSocket video) {
        String host = audio.getLocalAddress().getHostAddress();
        String type = audio.getLocalAddress().getAddress().length == 4 ? "IP4" : "IP6";
        return "v=0\r\no=" + user + " 1 1 IN " + type + " " + host + "\r\ns=-\r\nc=IN " + type + " " + host
            + "\r\nt=0 0\r\nm=audio " + audio.getLocalPort() + " RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n"
            + "m=video " + video.getLocalPort() + " RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\n";
    }

    private BencodeValue.Dict offer(String callId, String sdp) {
        return new NgDictBuilder().put("command", "offer").put("call-id", callId).put("from-tag", "caller")
            .put("sdp", sdp).putTexts("flags", List.of("symmetric")).putTexts("supports", List.of("load limit"))
            .putTexts("replace", List.of("origin", "session-connection")).build();
    }

    private BencodeValue.Dict answer(String callId, String sdp) {
        return new NgDictBuilder().put("command", "answer").put("call-id", callId).put("from-tag", "caller")
            .put("to-tag", "callee").put("sdp", sdp).build();
    }

    private static byte[] rtp(int seq, int ssrc, int payloadBytes) {
        ByteBuffer b = ByteBuffer.allocate(12 + payloadBytes);
        b.put((byte) 0x80).put((byte) 0).putShort((short) seq).putInt(seq * 160).putInt(ssrc);
        for (int i = 0; i < payloadBytes; i++) {
            b.put((byte) (seq + i));
        }
        return b.array();
    }

    /** Sends from {@code from} to {@code to} until one arrives at {@code at} byte-exact (relay latches on the first). */
    private static void assertRelayed(DatagramSocket from, InetSocketAddress to, DatagramSocket at, int ssrc)
        throws Exception {
        long deadlineNs = System.nanoTime() + 10_000_000_000L;
        for (int seq = 1; deadlineNs - System.nanoTime() > 0; seq++) {
            byte[] packet = rtp(seq, ssrc, 160);
            from.send(new DatagramPacket(packet, packet.length, to));
            byte[] in = new byte[2048];
            DatagramPacket got = new DatagramPacket(in, in.length);
            try {
                at.receive(got);
            } catch (SocketTimeoutException e) {
                continue;
            }
            assertArrayEquals(packet, Arrays.copyOf(in, got.getLength()), "relayed byte-exact");
            assertNotEquals(to.getPort(), got.getPort(), "arrives from the relay's other leg");
            return;
        }
        throw new AssertionError("nothing relayed to " + at.getLocalSocketAddress());
    }

    private static InetSocketAddress mediaTarget(String sdp, int index) throws Exception {
        NgSdpMedia m = NgSdpEditor.parse(sdp).media().get(index);
        return m.rtp();
    }

    @Test
    void audioAndVideoFlowThroughTheRelayBothWays() throws Exception {
        DatagramSocket callerAudio = endpoint(LOOPBACK);
        DatagramSocket callerVideo = endpoint(LOOPBACK);
        DatagramSocket calleeAudio = endpoint(LOOPBACK);
        DatagramSocket calleeVideo = endpoint(LOOPBACK);
        BencodeValue.Dict o = client.request(offer("call-av", sdp("caller", callerAudio, callerVideo)));
        assertEquals("ok", o.text("result"), o.toString());
        BencodeValue.Dict a = client.request(answer("call-av", sdp("callee", calleeAudio, calleeVideo)));
        assertEquals("ok", a.text("result"), a.toString());
        String offered = o.text("sdp");
        String answered = a.text("sdp");
        assertTrue(offered.contains("o=caller 1 1 IN IP4 127.0.0.1"), offered);
        InetSocketAddress calleeSendsAudioTo = mediaTarget(offered, 0);
        InetSocketAddress calleeSendsVideoTo = mediaTarget(offered, 1);
        InetSocketAddress callerSendsAudioTo = mediaTarget(answered, 0);
        InetSocketAddress callerSendsVideoTo = mediaTarget(answered, 1);
        assertEquals(4, List.of(calleeSendsAudioTo.getPort(), calleeSendsVideoTo.getPort(),
            callerSendsAudioTo.getPort(), callerSendsVideoTo.getPort()).stream().distinct().count());

        assertRelayed(callerAudio, callerSendsAudioTo, calleeAudio, 0x1111);
        assertRelayed(calleeAudio, calleeSendsAudioTo, callerAudio, 0x2222);
        assertRelayed(callerVideo, callerSendsVideoTo, calleeVideo, 0x3333);
        assertRelayed(calleeVideo, calleeSendsVideoTo, callerVideo, 0x4444);

        BencodeValue.Dict q = client.request(new NgDictBuilder().put("command", "query").put("call-id", "call-av").build());
        assertEquals("ok", q.text("result"));
        BencodeValue.Dict tags = (BencodeValue.Dict) q.get("tags");
        for (String tag : List.of("caller", "callee")) {
            BencodeValue.ListValue medias = (BencodeValue.ListValue) ((BencodeValue.Dict) tags.get(tag)).get("medias");
            assertEquals(2, medias.items().size());
            for (BencodeValue media : medias.items()) {
                BencodeValue.Dict stream = (BencodeValue.Dict) ((BencodeValue.ListValue) ((BencodeValue.Dict) media)
                    .get("streams")).items().get(0);
                long packets = ((BencodeValue.Int) ((BencodeValue.Dict) stream.get("stats")).get("packets")).value();
                assertTrue(packets > 0, tag + " " + media + " received nothing");
            }
        }
        BencodeValue.Dict audioOfCaller = (BencodeValue.Dict) ((BencodeValue.ListValue) ((BencodeValue.Dict)
            ((BencodeValue.ListValue) ((BencodeValue.Dict) tags.get("caller")).get("medias")).items().get(0))
            .get("streams")).items().get(0);
        assertEquals(new BencodeValue.Int(0x1111), audioOfCaller.get("ssrc"));
    }

    @Test
    void retransmittedOfferGetsTheSameBytesAndOneSession() throws Exception {
        DatagramSocket audio = endpoint(LOOPBACK);
        DatagramSocket video = endpoint(LOOPBACK);
        byte[] datagram = NgTestClient.frame("retrans-1", offer("call-rt", sdp("caller", audio, video)));
        byte[] first = client.exchange(datagram);
        byte[] second = client.exchange(datagram);
        assertNotNull(first);
        assertArrayEquals(first, second);
        assertEquals(2, engine.workload().activeSessions(), "two streams, one offer executed");
        assertEquals(1, server.stats().retransmissions());
        assertEquals(1, server.calls());
    }

    @Test
    void deleteFreesTheRelayPorts() throws Exception {
        DatagramSocket callerAudio = endpoint(LOOPBACK);
        DatagramSocket callerVideo = endpoint(LOOPBACK);
        DatagramSocket calleeAudio = endpoint(LOOPBACK);
        DatagramSocket calleeVideo = endpoint(LOOPBACK);
        client.request(offer("call-del", sdp("caller", callerAudio, callerVideo)));
        BencodeValue.Dict a = client.request(answer("call-del", sdp("callee", calleeAudio, calleeVideo)));
        InetSocketAddress target = mediaTarget(a.text("sdp"), 0);
        assertTrue(engine.workload().portPairsInUse() > 0);
        BencodeValue.Dict d = client.request(new NgDictBuilder().put("command", "delete").put("call-id", "call-del")
            .put("from-tag", "caller").build());
        assertEquals("ok", d.text("result"), d.toString());
        assertEquals(0, engine.workload().activeSessions());
        assertEquals(0, engine.workload().portPairsInUse());
        assertEquals(0, server.calls());
        // The freed port can be bound by someone else again (quarantine 0 in this test).
        try (DatagramSocket rebind = new DatagramSocket(new InetSocketAddress(LOOPBACK, target.getPort()))) {
            assertEquals(target.getPort(), rebind.getLocalPort());
        }
        BencodeValue.Dict again = client.request(new NgDictBuilder().put("command", "query").put("call-id", "call-del")
            .build());
        assertEquals("Unknown call-id", again.text("error-reason"));
    }

    @Test
    void mediaTimeoutEndsTheCall() throws Exception {
        try (RelayEngine quick = new RelayEngine(MediaConfig.builder().portRange(46_500, 46_599).eventLoops(1)
                .bindIpv4(LOOPBACK).inactivityTimeoutMs(300).housekeepingIntervalMs(50).build());
             NgServer ng = new NgServer(NgServerConfig.of(new InetSocketAddress(LOOPBACK, 0)),
                new MediaEngineNgBackend(quick), () -> false)) {
            quick.start();
            ng.start();
            try (NgTestClient c = new NgTestClient(ng.localAddress())) {
                assertEquals("ok", c.request(offer("silent", sdp("caller", endpoint(LOOPBACK), endpoint(LOOPBACK))))
                    .text("result"));
                assertEquals(1, ng.calls());
                long deadlineNs = System.nanoTime() + 15_000_000_000L;
                while (ng.calls() > 0 && deadlineNs - System.nanoTime() > 0) {
                    Thread.sleep(50);
                }
                assertEquals(0, ng.calls(), "no media for the timeout: the relay ended it and ng forgot it");
                assertEquals("Unknown call-id", c.request(new NgDictBuilder().put("command", "query")
                    .put("call-id", "silent").build()).text("error-reason"));
            }
        }
    }

    @Test
    void listAndStatisticsReportTheCalls() throws Exception {
        for (String id : List.of("l1", "l2")) {
            client.request(offer(id, sdp("caller", endpoint(LOOPBACK), endpoint(LOOPBACK))));
        }
        BencodeValue.Dict list = client.request(new NgDictBuilder().put("command", "list").build());
        assertEquals(new BencodeValue.ListValue(List.of(BencodeValue.Bytes.of("l1"), BencodeValue.Bytes.of("l2"))),
            list.get("calls"));
        BencodeValue.Dict st = client.request(new NgDictBuilder().put("command", "statistics").build());
        BencodeValue.Dict cur = (BencodeValue.Dict) ((BencodeValue.Dict) st.get("statistics")).get("currentstatistics");
        assertEquals(new BencodeValue.Int(2), cur.get("sessionsown"));
        assertEquals(new BencodeValue.Int(4), cur.get("streams"));
    }

    @Test
    void loadLimitRefusesNewCallsWhileOverThreshold() throws Exception {
        over.set(true);
        BencodeValue.Dict o = client.request(offer("busy", sdp("caller", endpoint(LOOPBACK), endpoint(LOOPBACK))));
        assertEquals("load limit", o.text("result"));
        assertEquals(0, engine.workload().activeSessions());
    }

    @Test
    void malformedInputGetsErrorsAndThePortKeepsAnswering() throws Exception {
        byte[][] garbage = {
            "c1 d7:command".getBytes(StandardCharsets.US_ASCII),
            "c2 i5e".getBytes(StandardCharsets.US_ASCII),
            "c3 d7:command5:offere".getBytes(StandardCharsets.US_ASCII),
            "c4 d7:command5:offer7:call-id1:x8:from-tag1:f3:sdp5:helloe".getBytes(StandardCharsets.US_ASCII),
            "c5 d7:command6:answer7:call-id4:nope8:from-tag1:f6:to-tag1:t3:sdp3:v=0e".getBytes(StandardCharsets.US_ASCII),
        };
        for (byte[] g : garbage) {
            String reply = new String(client.exchange(g), StandardCharsets.ISO_8859_1);
            assertTrue(reply.contains("6:result5:error"), reply);
            assertTrue(reply.contains("12:error-reason"), reply);
        }
        assertNull(client.exchange("no-space-no-cookie".getBytes(StandardCharsets.US_ASCII)));
        assertEquals("pong", client.request(new NgDictBuilder().put("command", "ping").build()).text("result"));
        assertEquals(0, engine.workload().activeSessions());
        assertEquals(2, server.stats().malformed());
        assertEquals(1, server.stats().dropped());
    }

    @Test
    void worksOverIpv6() throws Exception {
        try (NgServer v6 = new NgServer(NgServerConfig.of(new InetSocketAddress(InetAddress.getByName("::1"), 0)),
            new MediaEngineNgBackend(engine), () -> false); ) {
            v6.start();
            try (NgTestClient c6 = new NgTestClient(v6.localAddress())) {
                assertEquals("pong", c6.request(new NgDictBuilder().put("command", "ping").build()).text("result"));
                InetAddress v6Loopback = InetAddress.getByName("::1");
                DatagramSocket callerAudio = endpoint(v6Loopback);
                DatagramSocket callerVideo = endpoint(v6Loopback);
                DatagramSocket calleeAudio = endpoint(v6Loopback);
                DatagramSocket calleeVideo = endpoint(v6Loopback);
                BencodeValue.Dict o = c6.request(offer("v6", sdp("caller", callerAudio, callerVideo)));
                assertEquals("ok", o.text("result"), o.toString());
                assertTrue(o.text("sdp").contains("c=IN IP6 "), o.text("sdp"));
                BencodeValue.Dict a = c6.request(answer("v6", sdp("callee", calleeAudio, calleeVideo)));
                assertRelayed(callerAudio, mediaTarget(a.text("sdp"), 0), calleeAudio, 0x6666);
                assertRelayed(calleeAudio, mediaTarget(o.text("sdp"), 0), callerAudio, 0x7777);
            }
        }
    }
}
