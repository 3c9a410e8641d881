package io.spillway.node.sip.transport;

import java.util.concurrent.atomic.LongAdder;

/**
 * Transport-level counts, written on the signalling loop and read by the metrics scrape.
 */
public final class TransportCounters {
    /** Datagrams or TCP streams that carried a PROXY header from a source not in the trusted list. */
    public final LongAdder proxyProtocolRejected = new LongAdder();
    /** PROXY headers accepted from trusted load balancers. */
    public final LongAdder proxyProtocolAccepted = new LongAdder();
    /** Messages a test drop filter discarded on the send path. */
    public final LongAdder sendDropped = new LongAdder();
    /** Sends that failed (connection refused, reset, unresolvable). */
    public final LongAdder sendFailures = new LongAdder();
    /** TCP connections accepted or opened. */
    public final LongAdder tcpConnectionsOpened = new LongAdder();
    /** TCP streams closed because of a fatal framing error. */
    public final LongAdder tcpFramingErrors = new LongAdder();
    /** Inbound datagrams and TCP messages dropped before parsing (empty, keep-alive, not SIP). */
    public final LongAdder inboundIgnored = new LongAdder();
}
