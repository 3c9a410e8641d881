package io.spillway.media;

import io.spillway.media.RelayTestSupport.Party;
import io.spillway.media.counter.DropReason;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.DatagramPacket;
import java.util.concurrent.TimeUnit;

import static io.spillway.media.RelayTestSupport.V4;
import static io.spillway.media.RelayTestSupport.await;
import static io.spillway.media.RelayTestSupport.rtp;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Symmetric latching, strict source, media handover and asymmetric mode. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LatchingTest {
    private final RelayEngineFixture fx = RelayEngineFixture.start(16);

    @AfterEach
    void stop() {
        fx.close();
    }

    @Test
    void latchesOnFirstPacketAndDropsSpoofedSource() throws Exception {
        try (Party caller = new Party(V4); Party callee = new Party(V4); Party spoofer = new Party(V4)) {
            // Caller's SDP address is unknown (behind NAT): leg A is learnt from its first packet.
            StreamPorts ports = fx.audio(1, null, callee, null, null);
            byte[] first = rtp(1, 0, 7, 160);
            caller.send(first, ports.a().rtpPort());
            assertArrayEquals(first, callee.receiveBytes());

            byte[] spoofed = rtp(2, 160, 7, 160);
            spoofer.send(spoofed, ports.a().rtpPort());
            await("spoofed packet counted", () -> fx.aToB(1).drops(DropReason.UNLATCHED_SOURCE) == 1);

            byte[] second = rtp(3, 320, 7, 160);
            caller.send(second, ports.a().rtpPort());
            assertArrayEquals(second, callee.receiveBytes(), "the spoofed packet never reached the callee");

            // The return path goes to the latched caller address.
            byte[] back = rtp(1, 0, 9, 160);
            callee.send(back, ports.b().rtpPort());
            assertArrayEquals(back, caller.receiveBytes());
            assertEquals(caller.address(), fx.aToB(1).latchedRtp());
            assertEquals(2, fx.aToB(1).packetsOut());
        }
    }

    @Test
    void noDestinationUntilTheOtherLegIsKnown() throws Exception {
        try (Party caller = new Party(V4); Party callee = new Party(V4)) {
            StreamPorts ports = fx.audio(2, null, null, null, null);
            caller.send(rtp(1, 0, 1, 160), ports.a().rtpPort());
            await("no destination counted", () -> fx.aToB(2).drops(DropReason.NO_DESTINATION) == 1);
            callee.send(rtp(1, 0, 2, 160), ports.b().rtpPort());
            // B latched now, A latched by its first packet: both directions flow.
            caller.receiveBytes();
            byte[] next = rtp(2, 160, 1, 160);
            caller.send(next, ports.a().rtpPort());
            assertArrayEquals(next, callee.receiveBytes());
        }
    }

    @Test
    void mediaHandoverRelatchesAfterSilence() throws Exception {
        try (Party caller = new Party(V4); Party moved = new Party(V4); Party callee = new Party(V4)) {
            StreamPorts ports = fx.audio(3, null, callee, new LatchingMode(true, 500, false), null);
            caller.send(rtp(1, 0, 1, 160), ports.a().rtpPort());
            callee.receiveBytes();
            // Too soon: the latched source spoke 100 ms ago.
            fx.clock.advanceMs(100);
            moved.send(rtp(2, 160, 1, 160), ports.a().rtpPort());
            await("early handover refused", () -> fx.aToB(3).drops(DropReason.UNLATCHED_SOURCE) == 1);
            // After 500 ms of silence from the old source the new one takes over.
            fx.clock.advanceMs(450);
            byte[] fromNew = rtp(3, 320, 1, 160);
            moved.send(fromNew, ports.a().rtpPort());
            assertArrayEquals(fromNew, callee.receiveBytes());
            assertEquals(1, fx.aToB(3).relatches());
            byte[] back = rtp(1, 0, 2, 160);
            callee.send(back, ports.b().rtpPort());
            DatagramPacket got = moved.receive();
            assertEquals(ports.a().rtpPort(), got.getPort(), "return media follows the handover");
        }
    }

    @Test
    void asymmetricModeAcceptsAnySourceAndSendsToSdpAddress() throws Exception {
        try (Party callerSends = new Party(V4); Party callerSdp = new Party(V4); Party callee = new Party(V4)) {
            StreamPorts ports = fx.audio(4, callerSdp, callee, new LatchingMode(false, 0, true), null);
            byte[] up = rtp(1, 0, 1, 160);
            callerSends.send(up, ports.a().rtpPort());
            assertArrayEquals(up, callee.receiveBytes());
            byte[] down = rtp(1, 0, 2, 160);
            callee.send(down, ports.b().rtpPort());
            assertArrayEquals(down, callerSdp.receiveBytes(), "sent to the SDP address, not the source");
            assertEquals(0, fx.aToB(4).drops(DropReason.UNLATCHED_SOURCE));
        }
    }

    @Test
    void latchingModeChangesAtRuntime() throws Exception {
        try (Party caller = new Party(V4); Party other = new Party(V4); Party callee = new Party(V4)) {
            StreamPorts ports = fx.audio(5, null, callee, null, null);
            caller.send(rtp(1, 0, 1, 160), ports.a().rtpPort());
            callee.receiveBytes();
            fx.engine.setLatchingMode(5, new LatchingMode(false, 0, false)).get(10, TimeUnit.SECONDS);
            byte[] fromOther = rtp(2, 160, 1, 160);
            other.send(fromOther, ports.a().rtpPort());
            assertArrayEquals(fromOther, callee.receiveBytes(), "non-strict mode re-latches to the new source");
            assertEquals(other.address(), fx.aToB(5).latchedRtp());
        }
    }
    @Test
    void reprimingAnotherAddressUnlatchesTheLeg() throws Exception {
        try (Party caller = new Party(V4); Party moved = new Party(V4); Party callee = new Party(V4)) {
            StreamPorts ports = fx.audio(6, caller, callee, null, null);
            caller.send(rtp(1, 0, 1, 160), ports.a().rtpPort());
            callee.receiveBytes();
            assertEquals(caller.address(), fx.aToB(6).latchedRtp());

            // A re-INVITE moves the caller's media (new SDP address): strict source must not drop it.
            fx.engine.primeRemote(6, 0, Leg.A, moved.address(), null).get(10, TimeUnit.SECONDS);
            byte[] fromNew = rtp(2, 160, 1, 160);
            moved.send(fromNew, ports.a().rtpPort());
            assertArrayEquals(fromNew, callee.receiveBytes(), "the moved party latches at once");
            assertEquals(moved.address(), fx.aToB(6).latchedRtp());
            assertEquals(0, fx.aToB(6).drops(DropReason.UNLATCHED_SOURCE));
            byte[] back = rtp(1, 0, 2, 160);
            callee.send(back, ports.b().rtpPort());
            assertArrayEquals(back, moved.receiveBytes(), "return media goes to the new address");

            // Priming the same address again (a refresh re-INVITE) keeps the latch: the old source stays out.
            fx.engine.primeRemote(6, 0, Leg.A, moved.address(), null).get(10, TimeUnit.SECONDS);
            caller.send(rtp(3, 320, 1, 160), ports.a().rtpPort());
            await("old source dropped", () -> fx.aToB(6).drops(DropReason.UNLATCHED_SOURCE) == 1);
            assertEquals(moved.address(), fx.aToB(6).latchedRtp());
        }
    }
}
