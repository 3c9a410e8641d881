package io.spillway.node.ng;

import static io.spillway.node.ng.NgSdpEditorTest.fixture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class NgCommandDispatcherTest {
    private final RecordingMediaBackend backend = new RecordingMediaBackend();
    private final AtomicBoolean over = new AtomicBoolean();
    private final NgStats stats = new NgStats();
    private final NgCommandDispatcher dispatcher;

    NgCommandDispatcherTest() throws Exception {
        NgServerConfig config = NgServerConfig.of(new InetSocketAddress("127.0.0.1", 0));
        dispatcher = new NgCommandDispatcher(config, backend, over::get, () -> 1_700_000_000_000L, stats);
    }

    private BencodeValue.Dict offer(String callId, String fromTag, String sdp, String... flags) {
        return dispatcher.dispatch(new NgDictBuilder().put("command", "offer").put("call-id", callId)
            .put("from-tag", fromTag).put("sdp", sdp).putTexts("flags", List.of(flags))
            .putTexts("replace", List.of("origin", "session-connection"))
            .putTexts("supports", List.of("load limit")).build());
    }

    private BencodeValue.Dict answer(String callId, String fromTag, String toTag, String sdp) {
        return dispatcher.dispatch(new NgDictBuilder().put("command", "answer").put("call-id", callId)
            .put("from-tag", fromTag).put("to-tag", toTag).put("sdp", sdp).build());
    }

    private BencodeValue.Dict command(String name, String callId) {
        NgDictBuilder b = new NgDictBuilder().put("command", name);
        if (callId != null) {
            b.put("call-id", callId);
        }
        return dispatcher.dispatch(b.build());
    }

    @Test
    void pingPongs() {
        assertEquals("pong", command("ping", null).text("result"));
    }

    @Test
    void offerAndAnswerWireBothLegsAndRewriteWithTheOtherLegsPorts() throws Exception {
        BencodeValue.Dict o = offer("call-1", "ftag", fixture("offer-audio-video.sdp"), "strict-source",
            "media handover", "asymmetric");
        assertEquals("ok", o.text("result"), o.toString());
        assertEquals(2, backend.streams.size());
        RecordingMediaBackend.Stream audio = backend.streams.get(0);
        RecordingMediaBackend.Stream video = backend.streams.get(1);
        assertEquals(new InetSocketAddress("192.0.2.10", 49170), audio.rtp[NgLeg.A.ordinal()]);
        assertEquals(new InetSocketAddress("192.0.2.12", 51400), video.rtcp[NgLeg.A.ordinal()]);
        assertEquals(new NgMediaOptions(false, true, true), audio.options[NgLeg.A.ordinal()]);
        NgSdpEditor offered = NgSdpEditor.parse(o.text("sdp"));
        assertEquals(new InetSocketAddress("203.0.113.5", audio.localRtpPort(NgLeg.B)), offered.media().get(0).rtp());
        assertEquals(new InetSocketAddress("203.0.113.5", video.localRtpPort(NgLeg.B)), offered.media().get(1).rtp());
        assertTrue(o.text("sdp").contains("o=alice 2890844526 2890844526 IN IP4 203.0.113.5"));

        BencodeValue.Dict a = answer("call-1", "ftag", "ttag", fixture("answer-audio-video.sdp"));
        assertEquals("ok", a.text("result"), a.toString());
        assertEquals(new InetSocketAddress("198.51.100.20", 5004), audio.rtp[NgLeg.B.ordinal()]);
        assertTrue(audio.mux[NgLeg.B.ordinal()], "callee answered rtcp-mux");
        NgSdpEditor answered = NgSdpEditor.parse(a.text("sdp"));
        assertEquals(audio.localRtpPort(NgLeg.A), answered.media().get(0).rtp().getPort());
        assertEquals(video.localRtcpPort(NgLeg.A), answered.media().get(1).rtcp().getPort());
        assertFalse(answered.media().get(0).rtcpMux(), "the caller did not offer rtcp-mux");
    }

    @Test
    void rtcpMuxFlagsShapeTheOutgoingOffer() throws Exception {
        String sdp = fixture("offer-audio-video.sdp");
        BencodeValue.Dict offered = dispatcher.dispatch(new NgDictBuilder().put("command", "offer")
            .put("call-id", "mux").put("from-tag", "f").put("sdp", sdp)
            .putTexts("rtcp-mux", List.of("offer")).build());
        assertTrue(NgSdpEditor.parse(offered.text("sdp")).media().get(0).rtcpMux());
        String muxed = sdp.replace("a=sendrecv\r\n", "a=sendrecv\r\na=rtcp-mux\r\n");
        BencodeValue.Dict demuxed = dispatcher.dispatch(new NgDictBuilder().put("command", "offer")
            .put("call-id", "demux").put("from-tag", "f").put("sdp", muxed)
            .putTexts("rtcp-mux", List.of("demux")).build());
        assertFalse(NgSdpEditor.parse(demuxed.text("sdp")).media().get(0).rtcpMux());
        assertTrue(backend.streams.get(2).mux[NgLeg.A.ordinal()], "the relay still muxes towards the caller");
    }

    @Test
    void reofferReusesPortsAndUpdatesTheRemote() throws Exception {
        offer("c", "f", fixture("offer-audio-video.sdp"));
        String moved = fixture("offer-audio-video.sdp").replace("192.0.2.10", "192.0.2.99");
        BencodeValue.Dict again = offer("c", "f", moved);
        assertEquals("ok", again.text("result"));
        assertEquals(2, backend.streams.size(), "same ports");
        assertEquals("192.0.2.99", backend.streams.get(0).rtp[0].getHostString());
    }

    @Test
    void calleeReofferIsMappedToLegB() throws Exception {
        offer("c", "f", fixture("offer-audio-video.sdp"));
        answer("c", "f", "t", fixture("answer-audio-video.sdp"));
        String reinvite = fixture("answer-audio-video.sdp").replace("198.51.100.20", "198.51.100.77");
        BencodeValue.Dict o = offer("c", "t", reinvite);
        assertEquals("ok", o.text("result"));
        assertEquals("198.51.100.77", backend.streams.get(0).rtp[NgLeg.B.ordinal()].getHostString());
        assertEquals(backend.streams.get(0).localRtpPort(NgLeg.A),
            NgSdpEditor.parse(o.text("sdp")).media().get(0).rtp().getPort());
    }

    @Test
    void deleteClosesStreamsAndForgetsTheCall() throws Exception {
        offer("c", "f", fixture("offer-audio-video.sdp"));
        BencodeValue.Dict d = command("delete", "c");
        assertEquals("ok", d.text("result"));
        assertTrue(backend.streams.stream().allMatch(s -> s.closed));
        assertEquals(0, dispatcher.calls());
        BencodeValue.Dict again = command("delete", "c");
        assertEquals("error", again.text("result"));
        assertEquals("Unknown call-id", again.text("error-reason"));
    }

    @Test
    void queryListAndStatisticsHaveTheirShape() throws Exception {
        offer("c1", "f", fixture("offer-audio-video.sdp"));
        answer("c1", "f", "t", fixture("answer-audio-video.sdp"));
        offer("c2", "f", fixture("offer-audio-video.sdp"));
        BencodeValue.Dict q = command("query", "c1");
        assertEquals("ok", q.text("result"));
        assertEquals(new BencodeValue.Int(1_700_000_000L), q.get("created"));
        BencodeValue.Dict tags = (BencodeValue.Dict) q.get("tags");
        BencodeValue.Dict tagF = (BencodeValue.Dict) tags.get("f");
        assertEquals("t", tagF.text("in dialogue with"));
        BencodeValue.Dict media0 = (BencodeValue.Dict) ((BencodeValue.ListValue) tagF.get("medias")).items().get(0);
        assertEquals("audio", media0.text("type"));
        BencodeValue.Dict stream0 = (BencodeValue.Dict) ((BencodeValue.ListValue) media0.get("streams")).items().get(0);
        assertEquals(new BencodeValue.Int(10), ((BencodeValue.Dict) stream0.get("stats")).get("packets"));
        assertEquals(new BencodeValue.Int(0x1234), stream0.get("ssrc"));
        BencodeValue.Dict rtp = (BencodeValue.Dict) ((BencodeValue.Dict) q.get("totals")).get("RTP");
        assertEquals(new BencodeValue.Int(2 * (10 + 11)), rtp.get("packets"));

        BencodeValue.Dict list = command("list", null);
        assertEquals(new BencodeValue.ListValue(List.of(BencodeValue.Bytes.of("c1"), BencodeValue.Bytes.of("c2"))),
            list.get("calls"));
        BencodeValue.Dict st = command("statistics", null);
        BencodeValue.Dict current = (BencodeValue.Dict) ((BencodeValue.Dict) st.get("statistics")).get("currentstatistics");
        assertEquals(new BencodeValue.Int(2), current.get("sessionsown"));
        assertEquals(new BencodeValue.Int(4), current.get("streams"));
    }

    @Test
    void overThresholdAnswersLoadLimitForNewCallsOnly() throws Exception {
        offer("old", "f", fixture("offer-audio-video.sdp"));
        over.set(true);
        assertEquals("load limit", offer("new", "f", fixture("offer-audio-video.sdp")).text("result"));
        assertEquals("ok", offer("old", "f", fixture("offer-audio-video.sdp")).text("result"), "re-offer passes");
        BencodeValue.Dict noSupport = dispatcher.dispatch(new NgDictBuilder().put("command", "offer")
            .put("call-id", "x").put("from-tag", "f").put("sdp", fixture("offer-audio-video.sdp")).build());
        assertEquals("error", noSupport.text("result"));
        assertEquals(1, dispatcher.calls());
    }

    @Test
    void badRequestsGetPreciseErrors() throws Exception {
        assertEquals("missing 'command'", dispatcher.dispatch(new NgDictBuilder().build()).text("error-reason"));
        assertEquals("Unrecognized command 'frobnicate'", command("frobnicate", null).text("error-reason"));
        assertEquals("No call-id in message", command("query", null).text("error-reason"));
        assertEquals("Unknown call-id", command("query", "nope").text("error-reason"));
        assertEquals("No sdp in message", dispatcher.dispatch(new NgDictBuilder().put("command", "offer")
            .put("call-id", "c").put("from-tag", "f").build()).text("error-reason"));
        assertTrue(offer("c", "f", "v=0\r\n").text("error-reason").startsWith("Failed to parse SDP"));
        assertEquals("'flags' must be a list", dispatcher.dispatch(new NgDictBuilder().put("command", "offer")
            .put("call-id", "c").put("from-tag", "f").put("sdp", fixture("offer-audio-video.sdp"))
            .put("flags", 5).build()).text("error-reason"));
        assertEquals("Unknown call-id", answer("nope", "f", "t", fixture("answer-audio-video.sdp"))
            .text("error-reason"));
        assertEquals(0, dispatcher.calls(), "failed offers leave no call");
        assertEquals(2L, stats.commands("unknown", "error"), "no command, and frobnicate");
    }

    @Test
    void callsEndedByTheRelayAreForgotten() throws Exception {
        offer("timed-out", "f", fixture("offer-audio-video.sdp"));
        offer("alive", "f", fixture("offer-audio-video.sdp"));
        backend.streams.get(0).ended = true;
        assertEquals(0, dispatcher.sweepEndedCalls(), "one stream of the call still relays");
        backend.streams.get(1).ended = true;
        assertEquals(1, dispatcher.sweepEndedCalls());
        assertEquals("Unknown call-id", command("query", "timed-out").text("error-reason"));
        assertEquals("ok", command("query", "alive").text("result"));
    }

    @Test
    void backendFailureRollsBackTheNewCall() throws Exception {
        backend.failAfter = 1;
        BencodeValue.Dict o = offer("c", "f", fixture("offer-audio-video.sdp"));
        assertEquals("error", o.text("result"));
        assertTrue(o.text("error-reason").contains("no ports left"));
        assertEquals(0, dispatcher.calls());
        assertTrue(backend.streams.get(0).closed, "the first stream's ports were freed");
    }
}
