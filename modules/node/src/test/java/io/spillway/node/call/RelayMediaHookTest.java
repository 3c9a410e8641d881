package io.spillway.node.call;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spillway.media.IpFamily;
import io.spillway.media.MediaConfig;
import io.spillway.media.RelayEngine;
import io.spillway.media.SessionStats;
import io.spillway.sip.SipMessage;
import io.spillway.sip.SipRequest;
import io.spillway.sip.SipRequestBuilder;
import io.spillway.sip.SipResponse;
import io.spillway.sip.SipResponseBuilder;
import io.spillway.sip.sdp.SdpDirection;
import io.spillway.sip.sdp.SdpMedia;
import io.spillway.sip.sdp.SdpSession;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The media hook over a real relay engine, driven with parsed INVITE / 18x / 200 / ACK / re-INVITE
 * messages as the proxy would, and real RTP sockets on loopback as the two parties.
 */
@Timeout(30)
class RelayMediaHookTest {
    private static final long WAIT_MS = 5000;

    private final AtomicLong fakeNs = new AtomicLong(1_000_000_000L);
    private final List<String> ended = new CopyOnWriteArrayList<>();
    private RelayEngine engine;
    private RelayMediaHook hook;
    private final RtpParty alice = new RtpParty(0x1111);
    private final RtpParty bob = new RtpParty(0x2222);

    private void start(int pairs, boolean fakeClock) {
        int base = 61000 + 2 * ThreadLocalRandom.current().nextInt(1700);
        MediaConfig.Builder b = MediaConfig.builder().portRange(base, base + 2 * pairs - 1).eventLoops(1)
            .quarantineMs(0).inactivityTimeoutMs(10_000).maxDurationMs(60_000);
        if (fakeClock) {
            b.nowNs(fakeNs::get).housekeepingIntervalMs(3_600_000);
        }
        engine = new RelayEngine(b.build());
        engine.start();
        hook = new RelayMediaHook(engine, "127.0.0.1", IpFamily.IPV4, System::currentTimeMillis, Runnable::run);
        hook.onMediaEnded((callId, tag) -> ended.add(callId + "/" + tag));
    }

    @AfterEach
    void stop() {
        alice.close();
        bob.close();
        if (engine != null) {
            engine.close();
        }
    }

    // ------------------------------------------------------------------ message helpers

    static String sdp(String... media) {
        StringBuilder sb = new StringBuilder("v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n");
        for (String m : media) {
            sb.append(m);
        }
        return sb.toString();
    }

    static String audio(int port, String... attrs) {
        StringBuilder sb = new StringBuilder("m=audio " + port + " RTP/AVP 8\r\na=rtpmap:8 PCMA/8000\r\n");
        for (String a : attrs) {
            sb.append(a).append("\r\n");
        }
        return sb.toString();
    }

    static String video(int port) {
        return "m=video " + port + " RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\n";
    }

    static SipRequest request(String method, String callId, long cseq, String body) {
        SipRequestBuilder b = new SipRequestBuilder(method, "sip:bob@127.0.0.1:5064")
            .via("SIP/2.0/UDP 127.0.0.1:5062;branch=z9hG4bK" + method + cseq)
            .from("<sip:alice@example.com>;tag=a1").to("<sip:bob@example.com>" + (cseq > 1 ? ";tag=b1" : ""))
            .callId(callId).cseq(cseq).header("Contact", "<sip:alice@127.0.0.1:5062>");
        if (body != null) {
            b.body("application/sdp", body.getBytes(StandardCharsets.UTF_8));
        }
        return b.build();
    }

    static SipResponse response(SipRequest request, int status, String body) {
        SipResponseBuilder b = SipResponseBuilder.forRequest(request, status, status == 200 ? "OK" : "Session Progress")
            .toTag("b1").header("Contact", "<sip:bob@127.0.0.1:5064>");
        if (body != null) {
            b.body("application/sdp", body.getBytes(StandardCharsets.UTF_8));
        }
        return b.build();
    }

    private SdpSession rewrite(String callId, SipMessage m, boolean fromCaller) {
        byte[] out = hook.rewrite(callId, "a1", m, fromCaller).orTimeout(WAIT_MS, TimeUnit.MILLISECONDS).join();
        return SdpSession.parse(out);
    }

    /** Initial offer from alice, answer from bob in 200; returns {relay port alice sends to, relay port bob sends to}. */
    private int[] establish(String callId) {
        SipRequest invite = request("INVITE", callId, 1, sdp(audio(alice.port())));
        SdpSession offer = rewrite(callId, invite, true);
        SdpSession answer = rewrite(callId, response(invite, 200, sdp(audio(bob.port()))), false);
        return new int[] {answer.media().get(0).port(), offer.media().get(0).port()};
    }

    private SessionStats stats(String callId) {
        return engine.sessionStats(hook.sessionId(callId, "a1"));
    }

    // ------------------------------------------------------------------ tests

    @Test
    void offerAndAnswerAreRewrittenAndMediaCrossesTheRelayBothWays() {
        start(8, false);
        SipRequest invite = request("INVITE", "call-1", 1, sdp(audio(alice.port(), "a=rtcp:" + (alice.port() + 1))));
        SdpSession offer = rewrite("call-1", invite, true);
        SdpMedia om = offer.media().get(0);
        assertEquals("127.0.0.1", offer.connection().address());
        assertNotEquals(alice.port(), om.port());
        assertEquals(om.port() + 1, om.rtcpPort(), "a=rtcp points at the relay's RTCP port");
        assertEquals(0, om.port() % 2, "RTP on an even relay port");
        assertEquals(1, hook.activeCalls());

        SdpSession answer183 = rewrite("call-1", response(invite, 183, sdp(audio(bob.port()))), false);
        SdpSession answer200 = rewrite("call-1", response(invite, 200, sdp(audio(bob.port()))), false);
        int relayForAlice = answer200.media().get(0).port();
        assertEquals(answer183.media().get(0).port(), relayForAlice, "183 and 200 carry the same relay port");
        assertNotEquals(om.port(), relayForAlice, "each leg has its own port pair");

        alice.sendRtp(relayForAlice, 50);
        assertEquals(50, bob.receive(50, WAIT_MS));
        bob.sendRtp(om.port(), 40);
        assertEquals(40, alice.receive(40, WAIT_MS));

        SessionStats s = stats("call-1");
        assertEquals(50, s.streams().get(0).aToB().packetsOut());
        assertEquals(40, s.streams().get(0).bToA().packetsOut());
        assertEquals(0, s.total().totalDrops());

        List<CallView> view = hook.callsView();
        assertEquals(1, view.size());
        CallView.StreamView sv = view.get(0).streams().get(0);
        assertEquals("audio", sv.type());
        assertEquals("127.0.0.1:" + alice.port(), sv.a().remote());
        assertEquals("127.0.0.1:" + bob.port(), sv.b().remote());
        assertEquals(relayForAlice, sv.a().relayRtpPort());
        assertEquals(50, sv.a().packetsOut());
        assertEquals(40, sv.b().packetsOut());
        assertEquals(50L * 172, sv.a().bytesIn());
        assertEquals(0, sv.a().lost());
    }

    @Test
    void releaseFreesTheSessionAndItsPorts() {
        start(8, false);
        establish("call-r");
        assertEquals(2, engine.workload().portPairsInUse());
        hook.release("call-r", "a1", "BYE");
        hook.release("call-r", "a1", "BYE");
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
        while (engine.workload().portPairsInUse() != 0 && deadline - System.nanoTime() > 0) {
            Thread.onSpinWait();
        }
        assertEquals(0, engine.workload().portPairsInUse());
        assertEquals(0, hook.activeCalls());
        assertEquals(1, hook.sessionsCreated());
        assertEquals(1, hook.sessionsReleased());
        assertTrue(ended.isEmpty(), "a release by the proxy is not a media end");
    }

    @Test
    void lateOfferIn200WithAnswerInAck() {
        start(8, false);
        SipRequest invite = request("INVITE", "call-late", 1, null);
        SdpSession offer = rewrite("call-late", response(invite, 200, sdp(audio(bob.port()))), false);
        int relayForAlice = offer.media().get(0).port();
        SdpSession answer = rewrite("call-late", request("ACK", "call-late", 1, sdp(audio(alice.port()))), true);
        int relayForBob = answer.media().get(0).port();
        assertNotEquals(relayForAlice, relayForBob);

        alice.sendRtp(relayForAlice, 20);
        assertEquals(20, bob.receive(20, WAIT_MS));
        bob.sendRtp(relayForBob, 20);
        assertEquals(20, alice.receive(20, WAIT_MS));
        CallView.StreamView sv = hook.callsView().get(0).streams().get(0);
        assertEquals("127.0.0.1:" + alice.port(), sv.a().remote(), "the ACK's answer primed the caller's leg A");
        assertEquals("127.0.0.1:" + bob.port(), sv.b().remote(), "the 200's offer primed the callee's leg B");
    }

    @Test
    void holdWithSendonlyPassesThroughAndResumeKeepsTheRelayPorts() {
        start(8, false);
        int[] relay = establish("call-h");
        SipRequest hold = request("INVITE", "call-h", 2, sdp(audio(alice.port(), "a=sendonly")));
        SdpSession holdOffer = rewrite("call-h", hold, true);
        assertEquals(SdpDirection.SENDONLY, holdOffer.media().get(0).direction());
        assertEquals(relay[1], holdOffer.media().get(0).port());
        assertEquals("127.0.0.1", holdOffer.connection().address());
        SdpSession holdAnswer = rewrite("call-h", response(hold, 200, sdp(audio(bob.port(), "a=recvonly"))), false);
        assertEquals(SdpDirection.RECVONLY, holdAnswer.media().get(0).direction());
        assertEquals(relay[0], holdAnswer.media().get(0).port());

        SipRequest resume = request("INVITE", "call-h", 3, sdp(audio(alice.port(), "a=sendrecv")));
        SdpSession resumeOffer = rewrite("call-h", resume, true);
        assertEquals(SdpDirection.SENDRECV, resumeOffer.media().get(0).direction());
        rewrite("call-h", response(resume, 200, sdp(audio(bob.port()))), false);
        alice.sendRtp(relay[0], 10);
        assertEquals(10, bob.receive(10, WAIT_MS));
        bob.sendRtp(relay[1], 10);
        assertEquals(10, alice.receive(10, WAIT_MS));
        assertEquals(1, hook.sessionsCreated(), "re-INVITEs reuse the call's session");
    }

    @Test
    void inactiveHoldFromTheCalleePassesThrough() {
        start(8, false);
        int[] relay = establish("call-i");
        SipRequest hold = request("INVITE", "call-i", 2, sdp(audio(bob.port(), "a=inactive")));
        SdpSession offer = rewrite("call-i", hold, false);
        assertEquals(SdpDirection.INACTIVE, offer.media().get(0).direction());
        assertEquals(relay[0], offer.media().get(0).port(), "a callee's offer goes to the caller with leg A's port");
        SdpSession answer = rewrite("call-i", response(hold, 200, sdp(audio(alice.port(), "a=inactive"))), true);
        assertEquals(relay[1], answer.media().get(0).port());
        assertEquals(SdpDirection.INACTIVE, answer.media().get(0).direction());
    }

    @Test
    void reInviteWithANewRemotePortRePrimesTheLeg() {
        start(8, false);
        int[] relay = establish("call-p");
        try (RtpParty bob2 = new RtpParty(0x3333)) {
            SipRequest reinvite = request("INVITE", "call-p", 2, sdp(audio(alice.port())));
            rewrite("call-p", reinvite, true);
            rewrite("call-p", response(reinvite, 200, sdp(audio(bob2.port()))), false);
            alice.sendRtp(relay[0], 10);
            assertEquals(10, bob2.receive(10, WAIT_MS), "media goes to bob's new port");
            assertEquals(0, bob.drainFor(100));
        }
    }

    @Test
    void failedReInviteRestoresTheAgreedRemotes() {
        start(8, false);
        int[] relay = establish("call-f");
        alice.sendRtp(relay[0], 5);
        assertEquals(5, bob.receive(5, WAIT_MS));
        try (RtpParty alice2 = new RtpParty(0x4444)) {
            // Alice offers a new address; bob refuses the re-INVITE (488, no SDP): the offer is void.
            SipRequest reinvite = request("INVITE", "call-f", 2, sdp(audio(alice2.port())));
            rewrite("call-f", reinvite, true);
            hook.requestFailed("call-f", "a1", true, 2, "INVITE");
            // The rollback runs on the call's chain and the relay loop: wait until leg A points at alice.
            String agreed = "127.0.0.1:" + alice.port();
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
            while (!agreed.equals(hook.callView("call-f", "a1").streams().get(0).a().latched())
                    && deadline - System.nanoTime() > 0) {
                Thread.onSpinWait();
            }
            assertEquals(agreed, hook.callView("call-f", "a1").streams().get(0).a().latched(),
                "leg A is primed back to alice's agreed address");
            bob.sendRtp(relay[1], 10);
            assertEquals(10, alice.receive(10, WAIT_MS), "media goes back to alice's agreed address");
            assertEquals(0, alice2.drainFor(100));
            alice.sendRtp(relay[0], 5);
            assertEquals(5, bob.receive(5, WAIT_MS), "alice's old address relays again");
            assertEquals("127.0.0.1:" + alice.port(), hook.callView("call-f", "a1").streams().get(0).a().remote());

            // A failure of some other request (another CSeq) changes nothing.
            SipRequest update = request("UPDATE", "call-f", 3, sdp(audio(alice2.port())));
            rewrite("call-f", update, true);
            rewrite("call-f", response(update, 200, sdp(audio(bob.port()))), false);
            hook.requestFailed("call-f", "a1", true, 3, "UPDATE");
            hook.requestFailed("call-f", "a1", true, 2, "INVITE");
            bob.sendRtp(relay[1], 10);
            assertEquals(10, alice2.receive(10, WAIT_MS), "an answered offer is agreed: no rollback");
        }
    }

    @Test
    void sessionVersionGoesUpWheneverTheForwardedSdpChanges() {
        start(8, false);
        SipRequest invite = request("INVITE", "call-v", 1, sdp(audio(alice.port(), "a=rtcp-mux")));
        rewrite("call-v", invite, true);
        String bobSdp = sdp(audio(bob.port()));
        SdpSession answer = rewrite("call-v", response(invite, 200, bobSdp), false);
        assertEquals("1", answer.originVersion());

        // Bob refreshes the session with the very same SDP and version (RFC 3264 8 allows that only for
        // an unchanged SDP). As an offer it is rewritten differently from the answer alice has: no
        // rtcp-mux, which was the relay's answer to alice's offer. Alice must see a higher version.
        SipRequest refresh = request("INVITE", "call-v", 5, bobSdp);
        SdpSession offer = rewrite("call-v", refresh, false);
        assertNotEquals(withoutOrigin(answer), withoutOrigin(offer), "precondition: the relay's SDP changed");
        assertEquals("2", offer.originVersion(), "a changed SDP carries a higher version (RFC 3264 8)");
        rewrite("call-v", response(refresh, 200, sdp(audio(alice.port()))), true);

        // The same refresh again: an unchanged SDP keeps its version.
        SdpSession again = rewrite("call-v", request("INVITE", "call-v", 6, bobSdp), false);
        assertEquals(offer.toString(), again.toString());
        rewrite("call-v", response(request("INVITE", "call-v", 6, bobSdp), 200, sdp(audio(alice.port()))), true);

        // Bob's own increment is kept: one up from what alice last saw.
        SdpSession bumped = rewrite("call-v", request("INVITE", "call-v", 7,
            bobSdp.replace("o=- 1 1 ", "o=- 1 2 ")), false);
        assertEquals("3", bumped.originVersion());
        assertEquals(withoutOrigin(again), withoutOrigin(bumped));
    }

    private static String withoutOrigin(SdpSession s) {
        return s.toString().replaceFirst("(?m)^o=.*$", "");
    }

    @Test
    void updateAddingVideoGetsNewRelayPortsAndKeepsAudio() {
        start(8, false);
        int[] relay = establish("call-v");
        try (RtpParty aliceVideo = new RtpParty(0x4444); RtpParty bobVideo = new RtpParty(0x5555)) {
            SipRequest update = request("UPDATE", "call-v", 2, sdp(audio(alice.port()), video(aliceVideo.port())));
            SdpSession offer = rewrite("call-v", update, true);
            assertEquals(relay[1], offer.media().get(0).port(), "audio keeps its relay port");
            int videoForBob = offer.media().get(1).port();
            assertTrue(videoForBob != 0 && videoForBob != relay[1]);
            SdpSession answer = rewrite("call-v", response(update, 200, sdp(audio(bob.port()), video(bobVideo.port()))), false);
            int videoForAlice = answer.media().get(1).port();
            assertEquals(relay[0], answer.media().get(0).port());
            aliceVideo.sendRtp(videoForAlice, 30);
            assertEquals(30, bobVideo.receive(30, WAIT_MS));
            bobVideo.sendRtp(videoForBob, 30);
            assertEquals(30, aliceVideo.receive(30, WAIT_MS));
            assertEquals(4, engine.workload().portPairsInUse());
            assertEquals("video", hook.callsView().get(0).streams().get(1).type());
        }
    }

    @Test
    void aDisabledStreamStaysAtPortZeroWithoutRelayPorts() {
        start(8, false);
        SipRequest invite = request("INVITE", "call-0", 1, sdp(audio(alice.port()), video(0)));
        SdpSession offer = rewrite("call-0", invite, true);
        assertEquals(0, offer.media().get(1).port());
        assertTrue(offer.media().get(0).port() > 0);
        assertEquals(2, engine.workload().portPairsInUse(), "one stream, two legs");
        SdpSession answer = rewrite("call-0", response(invite, 200, sdp(audio(bob.port()), video(0))), false);
        assertEquals(0, answer.media().get(1).port());
        assertEquals(1, hook.callsView().get(0).streams().size());
    }

    @Test
    void rejectedStreamInTheAnswerGoesBackAsPortZero() {
        start(8, false);
        try (RtpParty aliceVideo = new RtpParty(0x6666)) {
            SipRequest invite = request("INVITE", "call-rej", 1, sdp(audio(alice.port()), video(aliceVideo.port())));
            rewrite("call-rej", invite, true);
            SdpSession answer = rewrite("call-rej", response(invite, 200, sdp(audio(bob.port()), video(0))), false);
            assertTrue(answer.media().get(0).port() > 0);
            assertEquals(0, answer.media().get(1).port());
        }
    }

    @Test
    void rtcpMuxOfferedAndAnsweredMuxesBothLegs() {
        start(8, false);
        SipRequest invite = request("INVITE", "call-mux", 1, sdp(audio(alice.port(), "a=rtcp-mux")));
        SdpSession offer = rewrite("call-mux", invite, true);
        SdpMedia om = offer.media().get(0);
        assertTrue(om.rtcpMux());
        assertEquals(om.port() + 1, om.rtcpPort(), "the offer keeps the fallback RTCP port (RFC 5761 5.1.3)");
        SdpSession answer = rewrite("call-mux", response(invite, 200, sdp(audio(bob.port(), "a=rtcp-mux"))), false);
        SdpMedia am = answer.media().get(0);
        assertTrue(am.rtcpMux());
        assertEquals(am.port(), am.rtcpPort(), "a muxed answer names the RTP port for RTCP");
        CallView.StreamView sv = hook.callsView().get(0).streams().get(0);
        assertTrue(sv.a().rtcpMux() && sv.b().rtcpMux());
        assertEquals(sv.a().relayRtpPort(), sv.a().relayRtcpPort());

        alice.sendRtcp(am.port());
        assertEquals(1, bob.receive(1, WAIT_MS), "RTCP on the muxed RTP port reaches bob's RTP port");
        bob.sendRtcp(om.port());
        assertEquals(1, alice.receive(1, WAIT_MS));
    }

    @Test
    void rtcpMuxDeclinedByTheCalleeKeepsTheCallerMuxed() {
        start(8, false);
        SipRequest invite = request("INVITE", "call-mux2", 1, sdp(audio(alice.port(), "a=rtcp-mux")));
        rewrite("call-mux2", invite, true);
        SdpSession answer = rewrite("call-mux2", response(invite, 200, sdp(audio(bob.port()))), false);
        assertTrue(answer.media().get(0).rtcpMux(), "the caller asked for mux and keeps it");
        CallView.StreamView sv = hook.callsView().get(0).streams().get(0);
        assertTrue(sv.a().rtcpMux());
        assertFalse(sv.b().rtcpMux());
        assertEquals(sv.b().relayRtpPort() + 1, sv.b().relayRtcpPort());
    }

    @Test
    void mediaTimeoutTellsTheListenerAndForgetsTheCall() {
        start(8, true);
        establish("call-t");
        fakeNs.addAndGet(TimeUnit.SECONDS.toNanos(11));
        engine.runHousekeeping().orTimeout(WAIT_MS, TimeUnit.MILLISECONDS).join();
        assertEquals(List.of("call-t/a1"), ended);
        assertEquals(0, hook.activeCalls());
        assertEquals(1, hook.sessionsTimedOut());
        assertEquals(0, engine.workload().portPairsInUse());
        hook.release("call-t", "a1", "BYE");
        assertEquals(1, hook.sessionsReleased(), "a release after the timeout does nothing");
    }

    @Test
    void maxDurationEndsTheCallEvenWithMedia() {
        start(8, true);
        int[] relay = establish("call-d");
        for (int i = 0; i < 7; i++) {
            fakeNs.addAndGet(TimeUnit.SECONDS.toNanos(9));
            alice.sendRtp(relay[0], 1);
            assertEquals(1, bob.receive(1, WAIT_MS));
            engine.runHousekeeping().orTimeout(WAIT_MS, TimeUnit.MILLISECONDS).join();
        }
        assertEquals(List.of("call-d/a1"), ended, "60 s maximum reached after 63 s of live media");
    }

    @Test
    void badSdpFailsWith488AndIsCounted() {
        start(8, false);
        SipRequest invite = request("INVITE", "call-bad", 1, "v=0\r\nthis is not sdp\r\n");
        CompletionException e = assertThrows(CompletionException.class,
            () -> hook.rewrite("call-bad", "a1", invite, true).join());
        assertEquals(488, ((MediaHookException) e.getCause()).statusCode());
        assertEquals(1, hook.rewriteFailures());
        assertEquals(0, hook.activeCalls());
    }

    @Test
    void noFreePortsFailsWith503AndLeavesNothingBehind() {
        start(2, false);
        establish("call-1");
        try (RtpParty carol = new RtpParty(7)) {
            SipRequest invite = request("INVITE", "call-2", 1, sdp(audio(carol.port())));
            CompletionException e = assertThrows(CompletionException.class,
                () -> hook.rewrite("call-2", "a1", invite, true).join());
            assertEquals(503, ((MediaHookException) e.getCause()).statusCode());
            assertEquals(1, hook.activeCalls());
            assertEquals(-1, hook.sessionId("call-2", "a1"));
            assertEquals(1, hook.rewriteFailures());
        }
    }

    @Test
    void holdWithZeroAddressDoesNotPrimeTheWildcard() {
        start(8, false);
        int[] relay = establish("call-z");
        String zero = sdp(audio(alice.port())).replace("c=IN IP4 127.0.0.1", "c=IN IP4 0.0.0.0");
        SipRequest hold = request("INVITE", "call-z", 2, zero);
        SdpSession offer = rewrite("call-z", hold, true);
        assertEquals("127.0.0.1", offer.connection().address());
        rewrite("call-z", response(hold, 200, sdp(audio(bob.port()))), false);
        bob.sendRtp(relay[1], 5);
        assertEquals(5, alice.receive(5, WAIT_MS), "alice's leg keeps its primed address");
    }

    @Test
    void ipv6RelayAnchorsAnIpv6Call() throws Exception {
        engine = new RelayEngine(MediaConfig.builder().portRange(61000 + 2 * ThreadLocalRandom.current().nextInt(1700),
            64999).bindIpv4(null).bindIpv6(java.net.InetAddress.getByName("::1")).eventLoops(1).quarantineMs(0).build());
        engine.start();
        hook = new RelayMediaHook(engine, "::1", IpFamily.IPV6, System::currentTimeMillis, Runnable::run);
        try (java.net.DatagramSocket a = new java.net.DatagramSocket(new java.net.InetSocketAddress("::1", 0));
             java.net.DatagramSocket b = new java.net.DatagramSocket(new java.net.InetSocketAddress("::1", 0))) {
            a.setSoTimeout((int) WAIT_MS);
            b.setSoTimeout((int) WAIT_MS);
            String offerSdp = sdp(audio(a.getLocalPort())).replace("IN IP4 127.0.0.1", "IN IP6 ::1");
            SipRequest invite = request("INVITE", "call-v6", 1, offerSdp);
            SdpSession offer = rewrite("call-v6", invite, true);
            assertEquals("::1", offer.connection().address());
            assertTrue(offer.connection().isIpv6());
            String answerSdp = sdp(audio(b.getLocalPort())).replace("IN IP4 127.0.0.1", "IN IP6 ::1");
            SdpSession answer = rewrite("call-v6", response(invite, 200, answerSdp), false);
            byte[] rtp = new byte[172];
            rtp[0] = (byte) 0x80;
            rtp[1] = 8;
            a.send(new java.net.DatagramPacket(rtp, rtp.length, new java.net.InetSocketAddress("::1", answer.media().get(0).port())));
            b.receive(new java.net.DatagramPacket(new byte[2048], 2048));
            b.send(new java.net.DatagramPacket(rtp, rtp.length, new java.net.InetSocketAddress("::1", offer.media().get(0).port())));
            a.receive(new java.net.DatagramPacket(new byte[2048], 2048));
            assertEquals("[::1]:" + a.getLocalPort(), hook.callsView().get(0).streams().get(0).a().remote());
        }
    }

    @Test
    void unknownCallsAreIgnoredOnRelease() {
        start(8, false);
        hook.release("nope", "x", "BYE");
        assertEquals(0, hook.sessionsReleased());
    }
}
