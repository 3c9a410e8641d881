package io.spillway.node.ng;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of the ng control port: commands by name and result, malformed datagrams, datagrams
 * dropped without a reply, and retransmissions answered from the reply cache. Written by the ng
 * control thread, read by the metrics exporter on any thread.
 */
public final class NgStats {
    private final Map<String, LongAdder> commands = new ConcurrentHashMap<>();
    private final LongAdder malformed = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder retransmissions = new LongAdder();
    private final LongAdder internalErrors = new LongAdder();

    void countCommand(String command, String result) {
        commands.computeIfAbsent(command + '\u0000' + result, k -> new LongAdder()).increment();
    }

    void countMalformed() {
        malformed.increment();
    }

    void countDropped() {
        dropped.increment();
    }

    void countRetransmission() {
        retransmissions.increment();
    }

    void countInternalError() {
        internalErrors.increment();
    }

    /** Commands answered, keyed {@code command + "/" + result} (e.g. {@code offer/ok}), sorted. */
    public Map<String, Long> commandCounts() {
        Map<String, Long> out = new TreeMap<>();
        commands.forEach((k, v) -> out.put(k.replace('\u0000', '/'), v.sum()));
        return out;
    }

    /** Datagrams whose bencode or shape was invalid (answered with an error when a cookie was readable). */
    public long malformed() {
        return malformed.sum();
    }

    /** Datagrams dropped without a reply (no readable cookie). */
    public long dropped() {
        return dropped.sum();
    }

    /** Retransmitted requests answered from the reply cache, without acting again. */
    public long retransmissions() {
        return retransmissions.sum();
    }

    /** Requests that hit an unexpected failure in the dispatcher (answered with an error). */
    public long internalErrors() {
        return internalErrors.sum();
    }
}
