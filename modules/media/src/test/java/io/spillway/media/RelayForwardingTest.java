package io.spillway.media;

import io.netty.channel.Channel;
import io.netty.channel.epoll.EpollChannelOption;
import io.spillway.media.RelayTestSupport.FakeClock;
import io.spillway.media.RelayTestSupport.Party;
import io.spillway.media.counter.DropReason;
import io.spillway.media.relay.RelayLeg;
import io.spillway.media.relay.RelaySession;
import io.spillway.media.relay.RelayStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.DatagramPacket;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static io.spillway.media.RelayTestSupport.rtcpRr;
import static io.spillway.media.RelayTestSupport.rtp;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Packets forwarded through real loopback sockets, byte-exact, in both directions. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RelayForwardingTest {
    private final FakeClock clock = new FakeClock();
    private RelayEngine engine;

    @BeforeEach
    void start() {
        engine = new RelayEngine(RelayTestSupport.config(clock, 64).build());
        engine.start();
    }

    @AfterEach
    void stop() {
        engine.close();
    }

    @Test
    void twoPartyAudioForwardsBothWaysByteExact() throws Exception {
        try (Party caller = new Party(RelayTestSupport.V4); Party callee = new Party(RelayTestSupport.V4)) {
            StreamPorts ports = create(1, IpFamily.IPV4, false, false, caller, callee).stream(0);
            assertEquals(0, ports.a().rtpPort() % 2, "RTP port is even");
            assertEquals(ports.a().rtpPort() + 1, ports.a().rtcpPort());
            assertEquals(RelayTestSupport.V4, ports.a().advertisedAddress());

            byte[] toCallee = rtp(100, 1000, 0x11111111, 160);
            caller.send(toCallee, ports.a().rtpPort());
            DatagramPacket got = callee.receive();
            assertArrayEquals(toCallee, Arrays.copyOf(got.getData(), got.getLength()));
            assertEquals(ports.b().rtpPort(), got.getPort(), "sent from leg B's relay port");

            byte[] toCaller = rtp(7, 555, 0x22222222, 160);
            callee.send(toCaller, ports.b().rtpPort());
            DatagramPacket back = caller.receive();
            assertArrayEquals(toCaller, Arrays.copyOf(back.getData(), back.getLength()));
            assertEquals(ports.a().rtpPort(), back.getPort(), "sent from leg A's relay port");

            byte[] rr = rtcpRr(0x11111111);
            caller.send(rr, ports.a().rtcpPort());
            DatagramPacket rtcp = callee.receive();
            assertArrayEquals(rr, Arrays.copyOf(rtcp.getData(), rtcp.getLength()));
            assertEquals(ports.b().rtcpPort(), rtcp.getPort(), "RTCP leaves from leg B's RTCP port");
        }
    }

    @Test
    void audioAndVideoStreamsStaySeparate() throws Exception {
        try (Party callerAudio = new Party(RelayTestSupport.V4); Party calleeAudio = new Party(RelayTestSupport.V4);
             Party callerVideo = new Party(RelayTestSupport.V4); Party calleeVideo = new Party(RelayTestSupport.V4)) {
            SessionSpec spec = new SessionSpec("av", 2, List.of(
                new StreamSpec(MediaType.AUDIO, 0, LegSpec.of(IpFamily.IPV4).withRemote(callerAudio.address()),
                    LegSpec.of(IpFamily.IPV4).withRemote(calleeAudio.address())),
                new StreamSpec(MediaType.VIDEO, 0, LegSpec.of(IpFamily.IPV4).withRemote(callerVideo.address()),
                    LegSpec.of(IpFamily.IPV4).withRemote(calleeVideo.address()))));
            SessionPorts ports = engine.createSession(spec, null).get(10, TimeUnit.SECONDS);
            byte[] audio = rtp(1, 160, 1, 160);
            byte[] video = rtp(1, 3000, 2, 1200);
            callerAudio.send(audio, ports.stream(0).a().rtpPort());
            callerVideo.send(video, ports.stream(1).a().rtpPort());
            assertArrayEquals(audio, calleeAudio.receiveBytes());
            assertArrayEquals(video, calleeVideo.receiveBytes());
            calleeVideo.send(video, ports.stream(1).b().rtpPort());
            assertArrayEquals(video, callerVideo.receiveBytes());
            SessionStats stats = engine.sessionStats(2);
            assertEquals(90000, stats.streams().get(1).aToB().rtp().clockRateHz());
            assertEquals(8000, stats.streams().get(0).aToB().rtp().clockRateHz());
            engine.setClockRate(2, 0, 48000).get(10, TimeUnit.SECONDS);
            assertEquals(48000, engine.sessionStats(2).streams().get(0).bToA().rtp().clockRateHz());
        }
    }

    @Test
    void rtcpMuxOnOneLegDemuxesByPacketType() throws Exception {
        try (Party caller = new Party(RelayTestSupport.V4); Party calleeRtp = new Party(RelayTestSupport.V4)) {
            // Leg A muxed (e.g. WebRTC-style), leg B classic with separate RTCP port.
            SessionPorts ports = create(3, IpFamily.IPV4, true, false, caller, calleeRtp);
            LegPorts a = ports.stream(0).a();
            assertTrue(a.rtcpMux());
            assertEquals(a.rtpPort(), a.rtcpPort());
            byte[] media = rtp(1, 1, 5, 160);
            byte[] rr = rtcpRr(5);
            caller.send(media, a.rtpPort());
            assertArrayEquals(media, calleeRtp.receiveBytes());
            // RTCP on the muxed port goes to B's RTCP destination, not its RTP one.
            try (Party calleeRtcp = new Party(RelayTestSupport.V4)) {
                engine.primeRemote(3, 0, Leg.B, calleeRtp.address(), calleeRtcp.address()).get(10, TimeUnit.SECONDS);
                caller.send(rr, a.rtpPort());
                DatagramPacket got = calleeRtcp.receive();
                assertArrayEquals(rr, Arrays.copyOf(got.getData(), got.getLength()));
                assertEquals(ports.stream(0).b().rtcpPort(), got.getPort());
                // And B's RTCP comes back to A on the single muxed port.
                calleeRtcp.send(rr, ports.stream(0).b().rtcpPort());
                DatagramPacket back = caller.receive();
                assertEquals(a.rtpPort(), back.getPort());
                assertArrayEquals(rr, Arrays.copyOf(back.getData(), back.getLength()));
            }
        }
    }

    @Test
    void rtcpMuxCanBeSwitchedOffAndOn() throws Exception {
        try (Party caller = new Party(RelayTestSupport.V4); Party callee = new Party(RelayTestSupport.V4)) {
            SessionPorts ports = create(4, IpFamily.IPV4, true, true, caller, callee);
            SessionPorts off = engine.setRtcpMux(4, 0, Leg.A, false).get(10, TimeUnit.SECONDS);
            assertEquals(ports.stream(0).a().rtpPort() + 1, off.stream(0).a().rtcpPort());
            assertNotEquals(off.stream(0).a().rtpPort(), off.stream(0).a().rtcpPort());
            byte[] rr = rtcpRr(9);
            caller.send(rr, off.stream(0).a().rtcpPort());
            DatagramPacket got = callee.receive();
            assertEquals(ports.stream(0).b().rtpPort(), got.getPort(), "B is muxed: RTCP leaves its one port");
            SessionPorts on = engine.setRtcpMux(4, 0, Leg.A, true).get(10, TimeUnit.SECONDS);
            assertEquals(on.stream(0).a().rtpPort(), on.stream(0).a().rtcpPort());
        }
    }

    @Test
    void ipv6SessionForwards() throws Exception {
        try (Party caller = new Party(RelayTestSupport.V6); Party callee = new Party(RelayTestSupport.V6)) {
            StreamPorts ports = create(5, IpFamily.IPV6, false, false, caller, callee).stream(0);
            assertEquals(RelayTestSupport.V6, ports.a().advertisedAddress());
            byte[] data = rtp(1, 2, 3, 160);
            caller.send(data, ports.a().rtpPort());
            assertArrayEquals(data, callee.receiveBytes());
            callee.send(data, ports.b().rtpPort());
            assertArrayEquals(data, caller.receiveBytes());
        }
    }

    @Test
    void bridgesIpv4CallerToIpv6Callee() throws Exception {
        try (Party caller = new Party(RelayTestSupport.V4); Party callee = new Party(RelayTestSupport.V6)) {
            SessionSpec spec = new SessionSpec("bridge", 7, List.of(new StreamSpec(MediaType.AUDIO, 0,
                LegSpec.of(IpFamily.IPV4).withRemote(caller.address()),
                LegSpec.of(IpFamily.IPV6).withRemote(callee.address()))));
            StreamPorts ports = engine.createSession(spec, null).get(10, TimeUnit.SECONDS).stream(0);
            assertEquals(RelayTestSupport.V4, ports.a().advertisedAddress());
            assertEquals(RelayTestSupport.V6, ports.b().advertisedAddress());
            byte[] data = rtp(1, 2, 3, 160);
            caller.send(data, ports.a().rtpPort());
            assertArrayEquals(data, callee.receiveBytes());
            callee.send(data, ports.b().rtpPort());
            assertArrayEquals(data, caller.receiveBytes());
        }
    }

    @Test
    void videoStreamAddedByReinvite() throws Exception {
        try (Party caller = new Party(RelayTestSupport.V4); Party callee = new Party(RelayTestSupport.V4)) {
            create(6, IpFamily.IPV4, false, false, caller, callee);
            SessionPorts ports = engine.addStreams(6, List.of(new StreamSpec(MediaType.VIDEO, 0,
                LegSpec.of(IpFamily.IPV4).withRemote(caller.address()),
                LegSpec.of(IpFamily.IPV4).withRemote(callee.address())))).get(10, TimeUnit.SECONDS);
            assertEquals(2, ports.streams().size());
            byte[] data = rtp(1, 2, 3, 1200);
            caller.send(data, ports.stream(1).a().rtpPort());
            assertArrayEquals(data, callee.receiveBytes());
        }
    }

    @Test
    void advertisedAddressIsSeparateFromBind() throws Exception {
        InetAddress advertised = InetAddress.getByName("192.0.2.10");
        try (RelayEngine other = new RelayEngine(RelayTestSupport.config(clock, 4)
            .advertisedIpv4(advertised).build())) {
            other.start();
            SessionPorts ports = other.createSession(new SessionSpec("adv", 1,
                List.of(StreamSpec.of(MediaType.AUDIO, IpFamily.IPV4))), null).get(10, TimeUnit.SECONDS);
            assertEquals(advertised, ports.stream(0).a().advertisedAddress());
        }
    }

    @Test
    void epollChannelsReadSeveralDatagramsPerSyscall() throws Exception {
        engine.createSession(new SessionSpec("mmsg", 20, List.of(StreamSpec.of(MediaType.AUDIO, IpFamily.IPV4))),
            null).get(10, TimeUnit.SECONDS);
        Channel channel = engine.session(20).streams()[0].a().rtpEndpoint().channel();
        int guess = channel.config().getRecvByteBufAllocator().newHandle().guess();
        if (engine.isEpoll()) {
            assertEquals(1501, channel.config().getOption(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE));
            assertEquals(1501 * 16, guess, "room for 16 datagrams per recvmmsg");
        } else {
            assertEquals(1501, guess, "NIO reads one datagram per syscall, one byte over the limit");
        }
    }

    @Test
    void nioTransportForwardsToo() throws Exception {
        try (RelayEngine nio = new RelayEngine(RelayTestSupport.config(clock, 4).preferEpoll(false).build());
             Party caller = new Party(RelayTestSupport.V4); Party callee = new Party(RelayTestSupport.V4)) {
            nio.start();
            assertFalse(nio.isEpoll());
            SessionPorts ports = nio.createSession(new SessionSpec("nio", 1, List.of(new StreamSpec(
                MediaType.AUDIO, 0, LegSpec.of(IpFamily.IPV4).withRemote(caller.address()),
                LegSpec.of(IpFamily.IPV4).withRemote(callee.address())))), null).get(10, TimeUnit.SECONDS);
            byte[] data = rtp(1, 2, 3, 1500 - 12);
            caller.send(data, ports.stream(0).a().rtpPort());
            assertArrayEquals(data, callee.receiveBytes());
            caller.send(rtp(2, 2, 3, 1501 - 12), ports.stream(0).a().rtpPort());
            RelayTestSupport.await("oversize counted on NIO", () -> nio.sessionStats(1).total()
                .drops(DropReason.OVERSIZE) == 1);
        }
    }

    @Test
    void allChannelsOfASessionShareOneLoopAndLoadIsSpread() throws Exception {
        for (long id = 10; id < 14; id++) {
            engine.createSession(new SessionSpec("spread-" + id, id, List.of(StreamSpec.of(MediaType.AUDIO,
                IpFamily.IPV4), StreamSpec.of(MediaType.VIDEO, IpFamily.IPV4))), null).get(10, TimeUnit.SECONDS);
        }
        Map<Object, Integer> perLoop = new HashMap<>();
        for (long id = 10; id < 14; id++) {
            RelaySession session = engine.session(id);
            Object loop = session.loop().eventLoop();
            perLoop.merge(loop, 1, Integer::sum);
            for (RelayStream stream : session.streams()) {
                for (RelayLeg leg : new RelayLeg[] {stream.a(), stream.b()}) {
                    assertTrue(leg.rtpEndpoint().channel().eventLoop() == loop);
                    assertTrue(leg.rtcpEndpoint().channel().eventLoop() == loop);
                }
            }
        }
        assertEquals(Map.of(), perLoop.entrySet().stream().filter(e -> e.getValue() != 2)
            .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)), "2 sessions per loop");
    }

    @Test
    void legInUnconfiguredFamilyFailsClearly() throws Exception {
        try (RelayEngine v4only = new RelayEngine(RelayTestSupport.config(clock, 4).bindIpv6(null)
            .socketBufferBytes(1 << 20).build())) {
            v4only.start();
            ExecutionException e = assertThrows(
                ExecutionException.class, () -> v4only.createSession(new SessionSpec("v6", 1,
                    List.of(StreamSpec.of(MediaType.AUDIO, IpFamily.IPV6))), null).get(10, TimeUnit.SECONDS));
            assertEquals("leg asks for IPV6 but media.bindIpv6 is not configured", e.getCause().getMessage());
            assertEquals(0, v4only.workload().portPairsInUse());
            assertEquals(0, v4only.workload().activeSessions());
            // The engine (with explicit socket buffers) still relays.
            try (Party caller = new Party(RelayTestSupport.V4); Party callee = new Party(RelayTestSupport.V4)) {
                SessionPorts ports = v4only.createSession(new SessionSpec("v4", 2, List.of(new StreamSpec(
                    MediaType.AUDIO, 0, LegSpec.of(IpFamily.IPV4).withRemote(caller.address()),
                    LegSpec.of(IpFamily.IPV4).withRemote(callee.address())))), null).get(10, TimeUnit.SECONDS);
                byte[] data = rtp(1, 2, 3, 160);
                caller.send(data, ports.stream(0).a().rtpPort());
                assertArrayEquals(data, callee.receiveBytes());
            }
        }
    }

    private SessionPorts create(long id, IpFamily family, boolean muxA, boolean muxB, Party caller, Party callee)
        throws Exception {
        SessionSpec spec = new SessionSpec("call-" + id, id, List.of(new StreamSpec(MediaType.AUDIO, 0,
            new LegSpec(family, muxA, caller.address(), caller.address()),
            new LegSpec(family, muxB, callee.address(), callee.address()))));
        return engine.createSession(spec, null).get(10, TimeUnit.SECONDS);
    }
}
