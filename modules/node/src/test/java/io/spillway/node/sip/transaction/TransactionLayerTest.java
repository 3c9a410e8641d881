package io.spillway.node.sip.transaction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spillway.node.sip.transport.SipDestination;
import io.spillway.node.sip.transport.SipSource;
import io.spillway.node.sip.transport.SipTransportKind;
import io.spillway.sip.SipParseException;
import io.spillway.sip.SipParser;
import io.spillway.sip.SipRequest;
import io.spillway.sip.SipRequestBuilder;
import io.spillway.sip.SipResponse;
import io.spillway.sip.SipResponseBuilder;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** RFC 3261 section 17 timers and matching, driven by a manual clock: no sockets, no waiting. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class TransactionLayerTest {
    private static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.1", 5999);

    /** Timers fired by {@link #advance}; a test's own clock. */
    static final class ManualTimers implements TimerService {
        private final class Entry implements Timer {
            final long dueMs;
            final Runnable task;
            boolean cancelled;

            Entry(long dueMs, Runnable task) {
                this.dueMs = dueMs;
                this.task = task;
            }

            @Override
            public void cancel() {
                cancelled = true;
            }
        }

        private final List<Entry> pending = new ArrayList<>();
        long nowMs;

        @Override
        public Timer schedule(Runnable task, long delayMs) {
            Entry e = new Entry(nowMs + delayMs, task);
            pending.add(e);
            return e;
        }

        void advance(long ms) {
            long end = nowMs + ms;
            while (true) {
                Entry next = pending.stream().filter(e -> !e.cancelled && e.dueMs <= end)
                    .min(Comparator.comparingLong(e -> e.dueMs)).orElse(null);
                if (next == null) {
                    break;
                }
                pending.remove(next);
                nowMs = next.dueMs;
                next.task.run();
            }
            nowMs = end;
        }
    }

    record Sent(long atMs, String firstLine, SipDestination to) {
    }

    private final ManualTimers timers = new ManualTimers();
    private final List<Sent> sent = new ArrayList<>();
    private final TransactionLayer layer = new TransactionLayer((bytes, to, onFailure) -> {
        String s = new String(bytes, StandardCharsets.UTF_8);
        sent.add(new Sent(timers.nowMs, s.substring(0, s.indexOf('\r')), to));
    }, timers, TransactionTimers.DEFAULT);
    private final List<String> events = new ArrayList<>();
    private final List<ServerTransaction> servers = new ArrayList<>();

    TransactionLayerTest() {
        layer.user(new TransactionUser() {
            @Override
            public void onRequest(ServerTransaction transaction) {
                servers.add(transaction);
                events.add("request " + transaction.request().method());
            }

            @Override
            public void onCancel(ServerTransaction cancel, ServerTransaction invite) {
                events.add("cancel " + (invite != null));
            }

            @Override
            public void onAck(SipRequest ack, SipSource source) {
                events.add("ack-2xx");
            }

            @Override
            public void onStrayResponse(SipResponse response, SipSource source) {
                events.add("stray " + response.statusCode());
            }

            @Override
            public void onParseError(SipParseException error, SipSource source) {
                events.add("parse-error");
            }

            @Override
            public void onAckTimeout(ServerTransaction transaction) {
                events.add("ack-timeout");
            }
        });
    }

    private final ClientTransactionListener listener = new ClientTransactionListener() {
        @Override
        public void onResponse(ClientTransaction transaction, SipResponse response) {
            events.add("response " + response.statusCode());
        }

        @Override
        public void onTimeout(ClientTransaction transaction) {
            events.add("timeout");
        }

        @Override
        public void onTransportError(ClientTransaction transaction, Throwable cause) {
            events.add("transport-error");
        }
    };

    private static SipRequest request(String method, String branch) {
        return new SipRequestBuilder(method, "sip:bob@127.0.0.1:5999")
            .via("SIP/2.0/UDP 127.0.0.1:5060;branch=" + branch)
            .from("<sip:alice@127.0.0.1>;tag=a1").to("<sip:bob@127.0.0.1>").callId("c1@test").cseq(1).build();
    }

    private static SipSource udpSource() {
        return new SipSource(SipTransportKind.UDP, PEER, PEER, null);
    }

    private List<Long> sendTimes(String firstLinePrefix) {
        return sent.stream().filter(s -> s.firstLine().startsWith(firstLinePrefix)).map(Sent::atMs).toList();
    }

    @Test
    void inviteClientOverUdpRetransmitsOnTimerAUntilTimerB() {
        layer.sendRequest(request("INVITE", "z9hG4bKa"), "z9hG4bKa", SipDestination.of(SipTransportKind.UDP, PEER), listener);
        timers.advance(31_999);
        assertEquals(List.of(0L, 500L, 1500L, 3500L, 7500L, 15500L, 31500L), sendTimes("INVITE"));
        assertTrue(events.isEmpty());
        timers.advance(1);
        assertEquals(List.of("timeout"), events);
        assertEquals(0, layer.clientCount());
        timers.advance(60_000);
        assertEquals(7, sendTimes("INVITE").size(), "nothing after Timer B");
    }

    @Test
    void inviteClientOverTcpDoesNotRetransmit() {
        layer.sendRequest(request("INVITE", "z9hG4bKt"), "z9hG4bKt", SipDestination.of(SipTransportKind.TCP, PEER), listener);
        timers.advance(40_000);
        assertEquals(List.of(0L), sendTimes("INVITE"));
        assertEquals(List.of("timeout"), events);
    }

    @Test
    void nonInviteClientRetransmitIntervalIsCappedAtT2() {
        layer.sendRequest(request("BYE", "z9hG4bKe"), "z9hG4bKe", SipDestination.of(SipTransportKind.UDP, PEER), listener);
        timers.advance(32_000);
        assertEquals(List.of(0L, 500L, 1500L, 3500L, 7500L, 11500L, 15500L, 19500L, 23500L, 27500L, 31500L),
            sendTimes("BYE"));
        assertEquals(List.of("timeout"), events);
    }

    @Test
    void provisionalStopsTimerAAndAFinalErrorIsAckedHopByHopOnce() {
        SipRequest invite = request("INVITE", "z9hG4bKp");
        layer.sendRequest(invite, "z9hG4bKp", SipDestination.of(SipTransportKind.UDP, PEER), listener);
        layer.onMessage(SipResponseBuilder.forRequest(invite, 180, "Ringing").toTag("b").build(), udpSource());
        timers.advance(20_000);
        assertEquals(List.of(0L), sendTimes("INVITE"), "no retransmission once proceeding");
        SipResponse busy = SipResponseBuilder.forRequest(invite, 486, "Busy Here").toTag("b").build();
        layer.onMessage(busy, udpSource());
        layer.onMessage(SipResponseBuilder.forRequest(invite, 486, "Busy Here").toTag("b").build(), udpSource());
        assertEquals(List.of("response 180", "response 486"), events, "the retransmitted 486 is absorbed");
        assertEquals(2, sendTimes("ACK").size(), "ACK sent for the 486 and again for its retransmission");
        timers.advance(32_000);
        assertEquals(0, layer.clientCount(), "Timer D ended it");
    }

    @Test
    void inviteServerRetransmitsFinalErrorOnTimerGUntilAck() {
        SipRequest invite = (SipRequest) SipParser.parse(request("INVITE", "z9hG4bKs").toBytes());
        layer.onMessage(invite, udpSource());
        ServerTransaction st = servers.get(0);
        st.respond(486, SipResponseBuilder.forRequest(invite, 486, "Busy Here").toTag("x").toBytes());
        timers.advance(8_000);
        assertEquals(List.of(0L, 500L, 1500L, 3500L, 7500L), sendTimes("SIP/2.0 486"));
        SipRequest ack = new SipRequestBuilder("ACK", "sip:bob@127.0.0.1:5999")
            .via("SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKs")
            .from("<sip:alice@127.0.0.1>;tag=a1").to("<sip:bob@127.0.0.1>;tag=x").callId("c1@test").cseq(1).build();
        layer.onMessage(ack, udpSource());
        timers.advance(20_000);
        assertEquals(5, sendTimes("SIP/2.0 486").size(), "Timer G stopped by the ACK");
        assertEquals(List.of("request INVITE"), events, "the ACK was absorbed by the transaction");
        assertEquals(0, layer.serverCount(), "Timer I ended it");
    }

    @Test
    void inviteServerGivesUpOnTimerHWithoutAck() {
        SipRequest invite = (SipRequest) SipParser.parse(request("INVITE", "z9hG4bKh").toBytes());
        layer.onMessage(invite, udpSource());
        servers.get(0).respond(500, SipResponseBuilder.forRequest(invite, 500, "Oops").toTag("x").toBytes());
        timers.advance(32_000);
        assertEquals(List.of("request INVITE", "ack-timeout"), events);
        assertEquals(0, layer.serverCount());
    }

    @Test
    void retransmittedRequestReplaysTheLastResponseAlsoWithoutTheCookie() {
        for (String branch : new String[] {"z9hG4bKr", "rfc2543branch"}) {
            sent.clear();
            events.clear();
            servers.clear();
            SipRequest options = request("OPTIONS", branch);
            layer.onMessage((SipRequest) SipParser.parse(options.toBytes()), udpSource());
            servers.get(0).respond(200, SipResponseBuilder.forRequest(options, 200, "OK").toTag("x").toBytes());
            layer.onMessage((SipRequest) SipParser.parse(options.toBytes()), udpSource());
            assertEquals(List.of("request OPTIONS"), events, branch);
            assertEquals(2, sendTimes("SIP/2.0 200").size(), branch);
            timers.advance(32_000);
            assertEquals(0, layer.serverCount(), "Timer J ended it");
        }
    }

    @Test
    void twoXxToInviteEndsTheClientTransactionAndLaterCopiesAreStray() {
        SipRequest invite = request("INVITE", "z9hG4bK2");
        layer.sendRequest(invite, "z9hG4bK2", SipDestination.of(SipTransportKind.UDP, PEER), listener);
        layer.onMessage(SipResponseBuilder.forRequest(invite, 200, "OK").toTag("b").build(), udpSource());
        layer.onMessage(SipResponseBuilder.forRequest(invite, 200, "OK").toTag("b").build(), udpSource());
        assertEquals(List.of("response 200", "stray 200"), events);
    }
}
