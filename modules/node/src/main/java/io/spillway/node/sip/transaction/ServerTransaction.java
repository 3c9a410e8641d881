package io.spillway.node.sip.transaction;

import io.spillway.node.sip.transport.SendFailureListener;
import io.spillway.node.sip.transport.SipDestination;
import io.spillway.node.sip.transport.SipSource;
import io.spillway.node.sip.transport.SipTransportKind;
import io.spillway.node.sip.transport.ViaStamp;
import io.spillway.sip.SipMethods;
import io.spillway.sip.SipRequest;
import java.net.InetSocketAddress;

/**
 * An RFC 3261 17.2 server transaction (INVITE or non-INVITE). Keeps the last response and replays it
 * for retransmitted requests; over UDP retransmits a final INVITE error on Timer G until ACK, then
 * absorbs further ACKs for T4 (Timer I). A 2xx to INVITE moves it to RFC 6026 Accepted, where
 * retransmitted INVITEs are absorbed for 64*T1 (Timer L). Owned by the loop.
 */
public final class ServerTransaction {
    /** Transaction states (17.2.1 and 17.2.2, plus RFC 6026 Accepted). */
    public enum State { TRYING, PROCEEDING, COMPLETED, CONFIRMED, ACCEPTED, TERMINATED }

    private final TransactionLayer layer;
    private final String key;
    private final SipRequest request;
    private final SipSource source;
    private final SipDestination responseDestination;
    private final boolean invite;
    private State state;
    private byte[] lastResponse;
    private int lastStatus;
    private TimerService.Timer retransmitTimer;
    private TimerService.Timer endTimer;
    private long retransmitIntervalMs;
    /** The layer above keeps its per-request state here (the proxy's forwarding context). */
    private Object context;

    ServerTransaction(TransactionLayer layer, String key, SipRequest request, SipSource source) {
        this.layer = layer;
        this.key = key;
        this.request = request;
        this.source = source;
        this.invite = request.isMethod(SipMethods.INVITE);
        this.state = invite ? State.PROCEEDING : State.TRYING;
        this.responseDestination = responseDestination(request, source);
    }

    /** RFC 3261 18.2.2: TCP back over the connection; UDP to Via received/rport, else the packet source. */
    private static SipDestination responseDestination(SipRequest request, SipSource source) {
        if (source.transport() == SipTransportKind.TCP) {
            return new SipDestination(SipTransportKind.TCP, source.peer(), source.channel());
        }
        InetSocketAddress address;
        try {
            address = ViaStamp.responseAddress(request.topVia());
        } catch (RuntimeException e) {
            address = null;
        }
        return new SipDestination(SipTransportKind.UDP, address != null ? address : source.remote(), source.channel());
    }

    public SipRequest request() {
        return request;
    }

    public SipSource source() {
        return source;
    }

    public boolean isInvite() {
        return invite;
    }

    public State state() {
        return state;
    }

    /** Status of the last response sent, 0 before any. */
    public int lastStatus() {
        return lastStatus;
    }

    /** True once a final response was sent. */
    public boolean isFinal() {
        return lastStatus >= 200;
    }

    public Object context() {
        return context;
    }

    public void context(Object value) {
        this.context = value;
    }

    /** Where responses go (18.2.2). */
    public SipDestination responseDestination() {
        return responseDestination;
    }

    /**
     * Sends a response. After a final response, further responses are ignored, except 2xx
     * retransmissions in Accepted (forwarded by the proxy as they come).
     */
    public void respond(int statusCode, byte[] bytes) {
        if (state == State.TERMINATED || state == State.CONFIRMED) {
            return;
        }
        if (state == State.COMPLETED || (state == State.ACCEPTED && statusCode >= 300)) {
            return;
        }
        layer.send(bytes, responseDestination, SendFailureListener.IGNORE);
        if (state == State.ACCEPTED) {
            return;
        }
        lastResponse = bytes;
        lastStatus = statusCode;
        if (statusCode < 200) {
            state = State.PROCEEDING;
            return;
        }
        TransactionTimers t = layer.timers();
        boolean udp = responseDestination.transport().isUnreliable();
        if (invite && statusCode < 300) {
            state = State.ACCEPTED;
            endTimer = layer.timerService().schedule(this::terminate, t.timeoutMs());
            return;
        }
        state = State.COMPLETED;
        if (invite) {
            if (udp) {
                retransmitIntervalMs = t.t1Ms();
                retransmitTimer = layer.timerService().schedule(this::timerG, retransmitIntervalMs);
            }
            endTimer = layer.timerService().schedule(this::timerH, t.timeoutMs());
        } else if (udp) {
            endTimer = layer.timerService().schedule(this::terminate, t.timeoutMs());
        } else {
            terminate();
        }
    }

    private void timerG() {
        if (state != State.COMPLETED) {
            return;
        }
        layer.counters().retransmissionsSent.increment();
        layer.send(lastResponse, responseDestination, SendFailureListener.IGNORE);
        retransmitIntervalMs = Math.min(retransmitIntervalMs * 2, layer.timers().t2Ms());
        retransmitTimer = layer.timerService().schedule(this::timerG, retransmitIntervalMs);
    }

    private void timerH() {
        if (state == State.COMPLETED) {
            layer.counters().ackTimeouts.increment();
            terminate();
            layer.user().onAckTimeout(this);
        }
    }

    /** A retransmission of the request arrived: replay the last response (17.2.1, 17.2.2). */
    void onRetransmission() {
        layer.counters().retransmissionsAbsorbed.increment();
        if (lastResponse != null && (state == State.PROCEEDING || state == State.COMPLETED
                || state == State.TRYING)) {
            layer.send(lastResponse, responseDestination, SendFailureListener.IGNORE);
        }
    }

    /** The ACK for a final error arrived (17.2.1): stop Timer G, absorb ACKs for T4 (Timer I). */
    void onAck() {
        if (state != State.COMPLETED) {
            layer.counters().retransmissionsAbsorbed.increment();
            return;
        }
        state = State.CONFIRMED;
        cancelTimers();
        if (responseDestination.transport().isUnreliable()) {
            endTimer = layer.timerService().schedule(this::terminate, layer.timers().t4Ms());
        } else {
            terminate();
        }
    }

    void terminate() {
        if (state == State.TERMINATED) {
            return;
        }
        state = State.TERMINATED;
        cancelTimers();
        layer.remove(this);
    }

    private void cancelTimers() {
        if (retransmitTimer != null) {
            retransmitTimer.cancel();
            retransmitTimer = null;
        }
        if (endTimer != null) {
            endTimer.cancel();
            endTimer = null;
        }
    }

    String key() {
        return key;
    }
}
