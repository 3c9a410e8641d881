package io.spillway.node.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spillway.node.call.MediaHookException;
import io.spillway.node.testsupport.RecordingMediaHook;
import io.spillway.node.testsupport.SipTestNode;
import io.spillway.node.testsupport.SipUdpClient;
import io.spillway.sip.SipMessage;
import io.spillway.sip.SipRequest;
import io.spillway.sip.SipResponse;
import io.spillway.sip.SipResponseBuilder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The proxy's use of the MediaHook and the LocationService, over real UDP with hand-written messages. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SipMediaHookTest {
    private final RecordingMediaHook hook = new RecordingMediaHook();

    private static SipResponse expect(SipUdpClient client, int code) throws Exception {
        for (int i = 0; i < 5; i++) {
            SipMessage m = client.receive(5000);
            assertNotNull(m, "no " + code);
            if (m instanceof SipResponse r && r.statusCode() == code) {
                return r;
            }
            assertTrue(m instanceof SipResponse r && r.statusCode() == 100, "unexpected " + m);
        }
        throw new AssertionError("no " + code);
    }

    private SipTestNode node(SipUdpClient uas) throws Exception {
        return SipTestNode.start(new SipComponent(hook, (user, domain) -> List.of()),
            "routes.0.prefix=1000", "routes.0.uri=sip:127.0.0.1:" + uas.port());
    }

    private static String ruri(SipTestNode node) {
        return "sip:1000@127.0.0.1:" + node.udp().getPort();
    }

    /** The UAS answers {@code fwd} with 200, SDP, its Contact and the Record-Route copied. */
    private static byte[] ok(SipRequest fwd, SipUdpClient uas) {
        SipResponseBuilder b = SipResponseBuilder.forRequest(fwd, 200, "OK").toTag("b1")
            .header("Contact", "<sip:bob@127.0.0.1:" + uas.port() + ">");
        for (String rr : fwd.headers("Record-Route")) {
            b.header("Record-Route", rr);
        }
        return b.body("application/sdp", "v=0\r\no=- 2 2 IN IP4 127.0.0.1\r\ns=bob\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 5000 RTP/AVP 0\r\n"
            .getBytes(StandardCharsets.UTF_8)).toBytes();
    }

    @Test
    void sdpOfferAndAnswerGoThroughTheHookAndTheRewrittenBodyIsForwarded() throws Exception {
        try (SipUdpClient uas = new SipUdpClient(); SipUdpClient uac = new SipUdpClient(); SipTestNode node = node(uas)) {
            uac.send(SipProxyTest.invite(ruri(node), "m1", ""), node.udp());
            SipRequest fwd = (SipRequest) uas.receive(5000);
            assertNotNull(fwd);
            assertTrue(fwd.bodyAsString().contains("s=anchored"), fwd.bodyAsString());
            assertEquals(fwd.bodyLength(), fwd.contentLength());
            uas.send(ok(fwd, uas), node.udp());
            SipResponse ok = expect(uac, 200);
            assertTrue(ok.bodyAsString().contains("s=anchored"), ok.bodyAsString());
            assertEquals(List.of(new RecordingMediaHook.Rewrite("m1@test", "a1", "INVITE", true),
                new RecordingMediaHook.Rewrite("m1@test", "a1", "200", false)), hook.rewrites);
        }
    }

    @Test
    void hookFailureIsAnsweredWithItsStatusAndNothingIsForwarded() throws Exception {
        hook.behaviour(m -> CompletableFuture.failedFuture(new MediaHookException(488, "Not Acceptable Here")));
        try (SipUdpClient uas = new SipUdpClient(); SipUdpClient uac = new SipUdpClient(); SipTestNode node = node(uas)) {
            uac.send(SipProxyTest.invite(ruri(node), "m2", ""), node.udp());
            expect(uac, 488);
            assertNull(uas.receive(300));
            assertEquals(1, hook.releases.size(), "the relay is released for a call that never started");
        }
    }

    @Test
    void asynchronousRewriteContinuesOnTheLoop() throws Exception {
        hook.behaviour(m -> CompletableFuture.supplyAsync(() -> RecordingMediaHook.anchored(m),
            CompletableFuture.delayedExecutor(100, TimeUnit.MILLISECONDS)));
        try (SipUdpClient uas = new SipUdpClient(); SipUdpClient uac = new SipUdpClient(); SipTestNode node = node(uas)) {
            uac.send(SipProxyTest.invite(ruri(node), "m3", ""), node.udp());
            SipRequest fwd = (SipRequest) uas.receive(5000);
            assertNotNull(fwd);
            assertTrue(fwd.bodyAsString().contains("s=anchored"));
        }
    }

    @Test
    void errorFinalResponseReleasesTheRelay() throws Exception {
        try (SipUdpClient uas = new SipUdpClient(); SipUdpClient uac = new SipUdpClient(); SipTestNode node = node(uas)) {
            uac.send(SipProxyTest.invite(ruri(node), "m4", ""), node.udp());
            SipRequest fwd = (SipRequest) uas.receive(5000);
            uas.send(SipResponseBuilder.forRequest(fwd, 486, "Busy Here").toTag("b1").toBytes(), node.udp());
            expect(uac, 486);
            assertEquals(1, hook.releases.size());
            assertEquals("m4@test", hook.releases.get(0).callId());
            assertEquals(0, node.node().activeCalls());
        }
    }

    @Test
    void failedReInviteIsReportedToTheHookAndTheCallGoesOn() throws Exception {
        try (SipUdpClient uas = new SipUdpClient(); SipUdpClient uac = new SipUdpClient(); SipTestNode node = node(uas)) {
            uac.send(SipProxyTest.invite(ruri(node), "m6", ""), node.udp());
            SipRequest fwd = (SipRequest) uas.receive(5000);
            uas.send(ok(fwd, uas), node.udp());
            SipResponse ok = expect(uac, 200);
            String sdp = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 4100 RTP/AVP 0\r\n";
            String reinvite = "INVITE sip:bob@127.0.0.1:" + uas.port() + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:$PORT;branch=z9hG4bKm6re;rport\r\n"
                + "Max-Forwards: 70\r\n"
                + "Route: " + ok.headers("Record-Route").get(0) + "\r\n"
                + "From: <sip:alice@127.0.0.1>;tag=a1\r\n"
                + "To: <" + ruri(node) + ">;tag=b1\r\n"
                + "Call-ID: m6@test\r\n"
                + "CSeq: 2 INVITE\r\n"
                + "Contact: <sip:alice@127.0.0.1:$PORT>\r\n"
                + "Content-Type: application/sdp\r\n"
                + "Content-Length: " + sdp.length() + "\r\n\r\n" + sdp;
            uac.send(reinvite, node.udp());
            SipRequest fwdRe = null;
            for (int i = 0; i < 3 && fwdRe == null; i++) {
                SipMessage m = uas.receive(5000);
                if (m instanceof SipRequest r && r.isMethod("INVITE")) {
                    fwdRe = r;
                }
            }
            assertNotNull(fwdRe, "re-INVITE forwarded");
            assertTrue(hook.failures.isEmpty());
            uas.send(SipResponseBuilder.forRequest(fwdRe, 488, "Not Acceptable Here").toBytes(), node.udp());
            expect(uac, 488);
            awaitTrue(() -> hook.failures.size() == 1);
            assertEquals(List.of(new RecordingMediaHook.Failure("m6@test", "a1", true, 2, "INVITE")), hook.failures);
            assertTrue(hook.releases.isEmpty(), "a failed re-INVITE does not end the call");
            assertEquals(1, node.node().activeCalls());
        }
    }

    @Test
    void byeAnsweredWithAnErrorStillReleasesAndIsNoFailedOffer() throws Exception {
        try (SipUdpClient uas = new SipUdpClient(); SipUdpClient uac = new SipUdpClient(); SipTestNode node = node(uas)) {
            uac.send(SipProxyTest.invite(ruri(node), "m7", ""), node.udp());
            SipRequest fwd = (SipRequest) uas.receive(5000);
            uas.send(ok(fwd, uas), node.udp());
            SipResponse ok = expect(uac, 200);
            String bye = "BYE sip:bob@127.0.0.1:" + uas.port() + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:$PORT;branch=z9hG4bKm7bye;rport\r\n"
                + "Max-Forwards: 70\r\n"
                + "Route: " + ok.headers("Record-Route").get(0) + "\r\n"
                + "From: <sip:alice@127.0.0.1>;tag=a1\r\n"
                + "To: <" + ruri(node) + ">;tag=b1\r\n"
                + "Call-ID: m7@test\r\n"
                + "CSeq: 2 BYE\r\n"
                + "Content-Length: 0\r\n\r\n";
            uac.send(bye, node.udp());
            SipRequest fwdBye = null;
            for (int i = 0; i < 3 && fwdBye == null; i++) {
                SipMessage m = uas.receive(5000);
                if (m instanceof SipRequest r && r.isMethod("BYE")) {
                    fwdBye = r;
                }
            }
            assertNotNull(fwdBye, "BYE forwarded");
            uas.send(SipResponseBuilder.forRequest(fwdBye, 481, "Call/Transaction Does Not Exist").toBytes(), node.udp());
            expect(uac, 481);
            awaitTrue(() -> hook.releases.size() == 1);
            assertEquals(0, node.node().activeCalls());
        }
    }

    @Test
    void mediaEndedSendsByeToBothPartiesAndReleases() throws Exception {
        try (SipUdpClient uas = new SipUdpClient(); SipUdpClient uac = new SipUdpClient(); SipTestNode node = node(uas)) {
            uac.send(SipProxyTest.invite(ruri(node), "m5", ""), node.udp());
            SipRequest fwd = (SipRequest) uas.receive(5000);
            uas.send(ok(fwd, uas), node.udp());
            SipResponse ok = expect(uac, 200);
            assertEquals(1, node.node().activeCalls());
            hook.endMedia("m5@test", "a1");
            SipRequest byeCallee = (SipRequest) uas.receive(5000);
            SipRequest byeCaller = (SipRequest) uac.receive(5000);
            assertNotNull(byeCallee);
            assertNotNull(byeCaller);
            assertEquals("BYE", byeCallee.method());
            assertEquals("sip:bob@127.0.0.1:" + uas.port(), byeCallee.requestUriString());
            assertEquals("a1", byeCallee.fromTag());
            assertEquals("b1", byeCallee.toTag());
            assertEquals("BYE", byeCaller.method());
            assertEquals("sip:alice@127.0.0.1:" + uac.port(), byeCaller.requestUriString());
            assertEquals("b1", byeCaller.fromTag());
            assertEquals("a1", byeCaller.toTag());
            assertEquals(ok.callId(), byeCaller.callId());
            uas.send(SipResponseBuilder.forRequest(byeCallee, 200, "OK").toBytes(), node.udp());
            uac.send(SipResponseBuilder.forRequest(byeCaller, 200, "OK").toBytes(), node.udp());
            awaitTrue(() -> hook.releases.size() == 1);
            assertEquals(List.of(new RecordingMediaHook.Release("m5@test", "a1", "media ended")), hook.releases);
            awaitTrue(() -> node.node().activeCalls() == 0);
        }
    }

    @Test
    void registeredBindingWinsForTheNodesDomain() throws Exception {
        try (SipUdpClient uas = new SipUdpClient(); SipUdpClient uac = new SipUdpClient();
             SipTestNode node = SipTestNode.start(new SipComponent(hook, (user, domain) ->
                 user.equals("bob") && domain.equals("example.net")
                     ? List.of(io.spillway.sip.SipUri.parse("sip:bob@127.0.0.1:" + uas.port())) : List.of()),
                 "sip.domains=example.net")) {
            uac.send(SipProxyTest.invite("sip:bob@example.net", "loc1", ""), node.udp());
            SipRequest fwd = (SipRequest) uas.receive(5000);
            assertNotNull(fwd);
            assertEquals("sip:bob@127.0.0.1:" + uas.port(), fwd.requestUriString());
            uac.send(SipProxyTest.invite("sip:carol@example.net", "loc2", ""), node.udp());
            expect(uac, 404);
        }
    }

    static void awaitTrue(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            assertTrue(deadlineNs - System.nanoTime() > 0, "condition not met in 5 s");
            Thread.sleep(10);
        }
    }
}
