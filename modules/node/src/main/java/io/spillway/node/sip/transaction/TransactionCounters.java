package io.spillway.node.sip.transaction;

import java.util.concurrent.atomic.LongAdder;

/** Counts of the transaction layer, written on the loop, read by the metrics scrape. */
public final class TransactionCounters {
    /** Requests and responses the node sent again because a timer fired (A, E, G). */
    public final LongAdder retransmissionsSent = new LongAdder();
    /** Retransmitted requests and responses received and absorbed by a transaction. */
    public final LongAdder retransmissionsAbsorbed = new LongAdder();
    /** Client transactions ended by Timer B or F. */
    public final LongAdder timeouts = new LongAdder();
    /** Server INVITE transactions ended by Timer H (no ACK). */
    public final LongAdder ackTimeouts = new LongAdder();
}
