package io.spillway.node.ng;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of the ng control port: commands by name and result, malformed datagrams, datagrams
 * dropped without a reply, and retransmissions answered from the reply cache. Fixed sets of commands
 * and results, so every counter exists from the start (metrics are registered once). Written by the
 * ng control thread, read by the metrics exporter on any thread.
 */
public final class NgStats {
    /** Commands counted; anything else is {@link #UNKNOWN}. */
    public static final String[] COMMANDS = {"ping", "offer", "answer", "delete", "query", "list", "statistics",
        "unknown"};
    /** Results counted; anything else is "error". */
    public static final String[] RESULTS = {"ok", "pong", "load limit", "error"};
    private static final int UNKNOWN = COMMANDS.length - 1;
    private static final int ERROR = RESULTS.length - 1;

    private final LongAdder[][] commands = new LongAdder[COMMANDS.length][RESULTS.length];
    private final LongAdder malformed = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder retransmissions = new LongAdder();
    private final LongAdder internalErrors = new LongAdder();

    public NgStats() {
        for (LongAdder[] row : commands) {
            for (int i = 0; i < row.length; i++) {
                row[i] = new LongAdder();
            }
        }
    }

    void countCommand(String command, String result) {
        commands[indexOf(COMMANDS, command, UNKNOWN)][indexOf(RESULTS, result, ERROR)].increment();
    }

    private static int indexOf(String[] names, String name, int otherwise) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(name)) {
                return i;
            }
        }
        return otherwise;
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

    /** Commands answered with {@code result}; both from {@link #COMMANDS} and {@link #RESULTS}. */
    public long commands(String command, String result) {
        return commands[indexOf(COMMANDS, command, UNKNOWN)][indexOf(RESULTS, result, ERROR)].sum();
    }

    /** Non-zero command counts keyed {@code command + "/" + result} (e.g. {@code offer/ok}), sorted. */
    public Map<String, Long> commandCounts() {
        Map<String, Long> out = new TreeMap<>();
        for (int c = 0; c < COMMANDS.length; c++) {
            for (int r = 0; r < RESULTS.length; r++) {
                long n = commands[c][r].sum();
                if (n != 0) {
                    out.put(COMMANDS[c] + "/" + RESULTS[r], n);
                }
            }
        }
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

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "ng %s malformed=%d dropped=%d retransmissions=%d internal=%d",
            commandCounts(), malformed(), dropped(), retransmissions(), internalErrors());
    }
}
