package io.spillway.node.sip.transaction;

import io.spillway.node.sip.transport.InboundSink;
import io.spillway.node.sip.transport.SendFailureListener;
import io.spillway.node.sip.transport.SipDestination;
import io.spillway.node.sip.transport.SipSource;
import io.spillway.sip.SipMessage;
import io.spillway.sip.SipMethods;
import io.spillway.sip.SipParseException;
import io.spillway.sip.SipRequest;
import io.spillway.sip.SipResponse;
import io.spillway.sip.Via;
import java.util.HashMap;
import java.util.Map;

/**
 * Matches inbound messages to transactions (RFC 3261 17.1.3 and 17.2.3) and owns the transaction
 * tables. Server transactions are keyed by branch, sent-by and method (ACK matches its INVITE);
 * requests whose branch lacks the {@code z9hG4bK} cookie fall back to the RFC 2543 identity
 * (Request-URI, From tag, Call-ID, CSeq number, top Via). Client transactions are keyed by the branch
 * the node generated and the CSeq method. Runs on the loop; not thread-safe.
 */
public final class TransactionLayer implements InboundSink {
    private static final String COOKIE = "z9hG4bK";

    private final MessageSender sender;
    private final TimerService timerService;
    private final TransactionTimers timers;
    private final TransactionCounters counters = new TransactionCounters();
    private final Map<String, ServerTransaction> servers = new HashMap<>();
    private final Map<String, ClientTransaction> clients = new HashMap<>();
    private TransactionUser user;
    private volatile int serverCount;
    private volatile int clientCount;

    public TransactionLayer(MessageSender sender, TimerService timerService, TransactionTimers timers) {
        this.sender = sender;
        this.timerService = timerService;
        this.timers = timers;
    }

    /** Sets the layer above; must be called before the first message. */
    public void user(TransactionUser value) {
        this.user = value;
    }

    TransactionUser user() {
        return user;
    }

    public TransactionTimers timers() {
        return timers;
    }

    TimerService timerService() {
        return timerService;
    }

    public TransactionCounters counters() {
        return counters;
    }

    /** Active server transactions (safe to read from any thread). */
    public int serverCount() {
        return serverCount;
    }

    /** Active client transactions (safe to read from any thread). */
    public int clientCount() {
        return clientCount;
    }

    void send(byte[] bytes, SipDestination destination, SendFailureListener onFailure) {
        sender.send(bytes, destination, onFailure);
    }

    @Override
    public void onMessage(SipMessage message, SipSource source) {
        if (message instanceof SipResponse response) {
            onResponse(response, source);
        } else {
            onRequest((SipRequest) message, source);
        }
    }

    @Override
    public void onParseError(SipParseException error, SipSource source) {
        user.onParseError(error, source);
    }

    private void onResponse(SipResponse response, SipSource source) {
        String branch = response.topViaBranch();
        ClientTransaction ct = branch == null ? null : clients.get(clientKey(branch, response.cseqMethod()));
        if (ct != null) {
            ct.onResponse(response);
        } else {
            user.onStrayResponse(response, source);
        }
    }

    private void onRequest(SipRequest request, SipSource source) {
        String method = request.method();
        if (method.equals(SipMethods.ACK)) {
            ServerTransaction st = servers.get(serverKey(request, SipMethods.INVITE));
            if (st != null && (st.state() == ServerTransaction.State.COMPLETED
                    || st.state() == ServerTransaction.State.CONFIRMED)) {
                st.onAck();
            } else {
                user.onAck(request, source);
            }
            return;
        }
        String key = serverKey(request, method);
        ServerTransaction existing = servers.get(key);
        if (existing != null) {
            existing.onRetransmission();
            return;
        }
        ServerTransaction st = new ServerTransaction(this, key, request, source);
        servers.put(key, st);
        serverCount = servers.size();
        if (method.equals(SipMethods.CANCEL)) {
            user.onCancel(st, servers.get(serverKey(request, SipMethods.INVITE)));
        } else {
            user.onRequest(st);
        }
    }

    /**
     * Creates and starts a client transaction for {@code request}, whose top Via (the node's) carries
     * {@code branch}.
     */
    public ClientTransaction sendRequest(SipRequest request, String branch, SipDestination destination,
                                         ClientTransactionListener listener) {
        String key = clientKey(branch, request.method());
        ClientTransaction ct = new ClientTransaction(this, key, branch, request, destination, listener);
        clients.put(key, ct);
        clientCount = clients.size();
        ct.start();
        return ct;
    }

    /** Sends bytes outside any transaction (ACK for 2xx, stray 2xx forwarding). */
    public void sendStateless(byte[] bytes, SipDestination destination) {
        sender.send(bytes, destination, SendFailureListener.IGNORE);
    }

    void remove(ServerTransaction st) {
        servers.remove(st.key(), st);
        serverCount = servers.size();
    }

    void remove(ClientTransaction ct) {
        clients.remove(ct.key(), ct);
        clientCount = clients.size();
    }

    private static String clientKey(String branch, String method) {
        return branch + '|' + (method.equals(SipMethods.ACK) ? SipMethods.INVITE : method);
    }

    /** 17.2.3: branch + sent-by + method, or the RFC 2543 identity when the cookie is missing. */
    static String serverKey(SipRequest request, String method) {
        Via top = request.topVia();
        String branch = top == null ? null : top.branch();
        String sentBy = top == null ? "" : top.host() + ':' + top.port();
        if (branch != null && branch.startsWith(COOKIE)) {
            return branch + '|' + sentBy + '|' + method;
        }
        return "2543|" + request.requestUriString() + '|' + request.fromTag() + '|' + request.callId() + '|'
            + request.cseqNumber() + '|' + sentBy + '|' + branch + '|' + method;
    }
}
