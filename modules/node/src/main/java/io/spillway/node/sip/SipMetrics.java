package io.spillway.node.sip;

import io.spillway.node.metrics.Counter;
import io.spillway.node.metrics.Labels;
import io.spillway.node.metrics.MetricsRegistry;
import io.spillway.node.sip.transaction.TransactionLayer;
import io.spillway.node.sip.transport.SipTransport;
import io.spillway.node.sip.transport.TransportCounters;
import java.util.HashMap;
import java.util.Map;

/**
 * The SIP metrics in the node registry: requests by method, responses by code (received and sent),
 * parse errors, retransmissions, active transactions, PROXY protocol and transport counts. Counters by
 * label are created on first use, on the signalling loop.
 */
public final class SipMetrics {
    private static final int MAX_METHOD_LABELS = 32;

    private final MetricsRegistry registry;
    private final Map<String, Counter> requestsByMethod = new HashMap<>();
    private final Map<Integer, Counter> responsesReceived = new HashMap<>();
    private final Map<Integer, Counter> responsesSent = new HashMap<>();
    private final Counter parseErrorsAnswered;
    private final Counter parseErrorsDropped;
    private final Counter requestsRejected;

    public SipMetrics(MetricsRegistry registry) {
        this.registry = registry;
        parseErrorsAnswered = registry.counter("spillway_sip_parse_errors_total",
            "SIP messages that did not parse, by what the node did", Labels.of("action", "answered_400"));
        parseErrorsDropped = registry.counter("spillway_sip_parse_errors_total",
            "SIP messages that did not parse, by what the node did", Labels.of("action", "dropped"));
        requestsRejected = registry.counter("spillway_sip_requests_unroutable_total",
            "requests answered by the node with an error instead of being forwarded");
    }

    /** Registers the gauges and counters read from the transport and transaction layer. */
    public void bind(SipTransport transport, TransactionLayer layer) {
        TransportCounters t = transport.counters();
        registry.gauge("spillway_sip_transactions_active", "SIP transactions in progress",
            Labels.of("kind", "server"), layer::serverCount);
        registry.gauge("spillway_sip_transactions_active", "SIP transactions in progress",
            Labels.of("kind", "client"), layer::clientCount);
        registry.counter("spillway_sip_retransmissions_total", "SIP retransmissions",
            Labels.of("direction", "sent"), layer.counters().retransmissionsSent::sum);
        registry.counter("spillway_sip_retransmissions_total", "SIP retransmissions",
            Labels.of("direction", "absorbed"), layer.counters().retransmissionsAbsorbed::sum);
        registry.counter("spillway_sip_transaction_timeouts_total", "client transactions ended by Timer B or F",
            Labels.NONE, layer.counters().timeouts::sum);
        registry.counter("spillway_sip_proxy_protocol_total", "PROXY protocol headers",
            Labels.of("result", "accepted"), t.proxyProtocolAccepted::sum);
        registry.counter("spillway_sip_proxy_protocol_total", "PROXY protocol headers",
            Labels.of("result", "rejected"), t.proxyProtocolRejected::sum);
        registry.counter("spillway_sip_send_failures_total", "SIP sends that failed (TCP refused or reset)",
            Labels.NONE, t.sendFailures::sum);
        registry.counter("spillway_sip_tcp_connections_total", "TCP connections accepted or opened",
            Labels.NONE, t.tcpConnectionsOpened::sum);
        registry.counter("spillway_sip_inbound_ignored_total",
            "datagrams and stream bytes ignored before parsing (keep-alives, framing errors)",
            Labels.NONE, t.inboundIgnored::sum);
    }

    /** A request received, by method (unknown methods beyond a bound share "other"). */
    public void requestReceived(String method) {
        Counter c = requestsByMethod.get(method);
        if (c == null) {
            String label = requestsByMethod.size() < MAX_METHOD_LABELS ? method : "other";
            c = requestsByMethod.get(label);
            if (c == null) {
                c = registry.counter("spillway_sip_requests_total", "SIP requests received, by method",
                    Labels.of("method", label));
                requestsByMethod.put(label, c);
            }
        }
        c.increment();
    }

    public void responseReceived(int code) {
        byCode(responsesReceived, "spillway_sip_responses_received_total", "SIP responses received, by code", code)
            .increment();
    }

    public void responseSent(int code) {
        byCode(responsesSent, "spillway_sip_responses_sent_total", "SIP responses sent, by code", code).increment();
    }

    private Counter byCode(Map<Integer, Counter> map, String name, String help, int code) {
        Counter c = map.get(code);
        if (c == null) {
            c = registry.counter(name, help, Labels.of("code", Integer.toString(code)));
            map.put(code, c);
        }
        return c;
    }

    public void parseErrorAnswered() {
        parseErrorsAnswered.increment();
    }

    public void parseErrorDropped() {
        parseErrorsDropped.increment();
    }

    public void requestRejected() {
        requestsRejected.increment();
    }
}
