package io.spillway.node.sip.transaction;

import io.spillway.node.sip.transport.SipDestination;
import io.spillway.sip.SipMethods;
import io.spillway.sip.SipRequest;
import io.spillway.sip.SipRequestBuilder;
import io.spillway.sip.SipResponse;

/**
 * An RFC 3261 17.1 client transaction. Over UDP it retransmits the request on Timer A (INVITE,
 * doubling) or E (non-INVITE, capped at T2); Timer B/F end it with a timeout; a final error to an
 * INVITE is acknowledged here, hop by hop (17.1.1.3), and retransmissions of it are re-acknowledged
 * during Timer D. A 2xx to INVITE ends the transaction at once: later 2xx retransmissions are stray
 * and the proxy forwards them statelessly. Owned by the loop.
 */
public final class ClientTransaction {
    /** Transaction states (17.1.1 and 17.1.2). */
    public enum State { CALLING, TRYING, PROCEEDING, COMPLETED, TERMINATED }

    private final TransactionLayer layer;
    private final String key;
    private final SipRequest request;
    private final byte[] bytes;
    private final SipDestination destination;
    private final ClientTransactionListener listener;
    private final boolean invite;
    private final String branch;
    private State state;
    private TimerService.Timer retransmitTimer;
    private TimerService.Timer timeoutTimer;
    private TimerService.Timer endTimer;
    private long intervalMs;
    private byte[] ack;
    private Object context;

    ClientTransaction(TransactionLayer layer, String key, String branch, SipRequest request,
                      SipDestination destination, ClientTransactionListener listener) {
        this.layer = layer;
        this.key = key;
        this.branch = branch;
        this.request = request;
        this.bytes = request.toBytes();
        this.destination = destination;
        this.listener = listener;
        this.invite = request.isMethod(SipMethods.INVITE);
        this.state = invite ? State.CALLING : State.TRYING;
    }

    void start() {
        TransactionTimers t = layer.timers();
        if (destination.transport().isUnreliable()) {
            intervalMs = t.t1Ms();
            retransmitTimer = layer.timerService().schedule(this::retransmit, intervalMs);
        }
        timeoutTimer = layer.timerService().schedule(this::timeout, t.timeoutMs());
        layer.send(bytes, destination, cause -> {
            if (state != State.TERMINATED && state != State.COMPLETED) {
                terminate();
                listener.onTransportError(this, cause);
            }
        });
    }

    public SipRequest request() {
        return request;
    }

    public SipDestination destination() {
        return destination;
    }

    public State state() {
        return state;
    }

    /** The branch of the Via this transaction pushed. */
    public String branch() {
        return branch;
    }

    public Object context() {
        return context;
    }

    public void context(Object value) {
        this.context = value;
    }

    /** True once a provisional response arrived (CANCEL may be sent, RFC 3261 9.1). */
    public boolean isProceeding() {
        return state == State.PROCEEDING;
    }

    private void retransmit() {
        if (state != State.CALLING && state != State.TRYING && !(state == State.PROCEEDING && !invite)) {
            return;
        }
        layer.counters().retransmissionsSent.increment();
        layer.send(bytes, destination, cause -> { });
        TransactionTimers t = layer.timers();
        if (invite) {
            intervalMs *= 2;
        } else {
            intervalMs = state == State.PROCEEDING ? t.t2Ms() : Math.min(intervalMs * 2, t.t2Ms());
        }
        retransmitTimer = layer.timerService().schedule(this::retransmit, intervalMs);
    }

    private void timeout() {
        if (state == State.CALLING || state == State.TRYING || (state == State.PROCEEDING && !invite)) {
            layer.counters().timeouts.increment();
            terminate();
            listener.onTimeout(this);
        }
    }

    /** A response whose top Via branch and CSeq method match this transaction. */
    void onResponse(SipResponse response) {
        int code = response.statusCode();
        switch (state) {
            case CALLING, TRYING, PROCEEDING -> {
                if (code < 200) {
                    state = State.PROCEEDING;
                    if (invite) {
                        cancel(retransmitTimer);
                        cancel(timeoutTimer);
                    }
                    listener.onResponse(this, response);
                    return;
                }
                cancel(retransmitTimer);
                cancel(timeoutTimer);
                if (invite && code < 300) {
                    terminate();
                    listener.onResponse(this, response);
                    return;
                }
                state = State.COMPLETED;
                boolean udp = destination.transport().isUnreliable();
                if (invite) {
                    ack = buildAck(response);
                    layer.send(ack, destination, cause -> { });
                    if (udp) {
                        endTimer = layer.timerService().schedule(this::terminate, layer.timers().timerDMs());
                    } else {
                        terminate();
                    }
                } else if (udp) {
                    endTimer = layer.timerService().schedule(this::terminate, layer.timers().t4Ms());
                } else {
                    terminate();
                }
                listener.onResponse(this, response);
            }
            case COMPLETED -> {
                layer.counters().retransmissionsAbsorbed.increment();
                if (invite && code >= 300 && ack != null) {
                    layer.send(ack, destination, cause -> { });
                }
            }
            default -> {
                // terminated: nothing
            }
        }
    }

    /** RFC 3261 17.1.1.3: the ACK for a non-2xx final response, on the INVITE's branch. */
    private byte[] buildAck(SipResponse response) {
        SipRequestBuilder b = new SipRequestBuilder(SipMethods.ACK, request.requestUriString())
            .via(request.headerValues("Via").get(0))
            .from(request.header("From"))
            .to(response.header("To"))
            .callId(request.callId())
            .cseq(request.cseqNumber());
        for (String route : request.headers("Route")) {
            b.header("Route", route);
        }
        return b.toBytes();
    }

    /**
     * RFC 3261 9.1: a CANCEL for this INVITE: same Request-URI, top Via, From, To, Call-ID, CSeq
     * number and Route.
     */
    public SipRequest buildCancel() {
        SipRequestBuilder b = new SipRequestBuilder(SipMethods.CANCEL, request.requestUriString())
            .via(request.headerValues("Via").get(0))
            .from(request.header("From"))
            .to(request.header("To"))
            .callId(request.callId())
            .cseq(request.cseqNumber());
        for (String route : request.headers("Route")) {
            b.header("Route", route);
        }
        return b.build();
    }

    /** Ends the transaction without a report (after a CANCEL was answered locally, at shutdown). */
    public void terminate() {
        if (state == State.TERMINATED) {
            return;
        }
        state = State.TERMINATED;
        cancel(retransmitTimer);
        cancel(timeoutTimer);
        cancel(endTimer);
        layer.remove(this);
    }

    private static void cancel(TimerService.Timer timer) {
        if (timer != null) {
            timer.cancel();
        }
    }

    String key() {
        return key;
    }
}
