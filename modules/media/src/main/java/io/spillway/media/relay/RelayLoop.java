package io.spillway.media.relay;

import io.netty.channel.EventLoop;
import io.spillway.media.counter.CounterArray;
import io.spillway.media.counter.RelayCounters;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One relay event loop and what it owns: its sessions, and node-level counters written only by
 * this loop (the engine sums all loops' counters for the node totals).
 */
public final class RelayLoop {
    private final int index;
    private final EventLoop eventLoop;
    private final CounterArray counters = RelayCounters.newArray();
    private final List<RelaySession> sessions = new ArrayList<>();
    private final EnvelopePool envelopes;
    /** Sessions assigned (including in creation); read by the least-loaded pick. */
    private final AtomicInteger load = new AtomicInteger();
    private long lastRateRollNs;

    public RelayLoop(int index, EventLoop eventLoop, long nowNs) {
        this.index = index;
        this.eventLoop = eventLoop;
        this.lastRateRollNs = nowNs;
        this.envelopes = new EnvelopePool(eventLoop);
    }

    EnvelopePool envelopes() {
        return envelopes;
    }

    public int index() {
        return index;
    }

    public EventLoop eventLoop() {
        return eventLoop;
    }

    public CounterArray counters() {
        return counters;
    }

    public AtomicInteger load() {
        return load;
    }

    /** Sessions on this loop. Loop thread only. */
    public List<RelaySession> sessions() {
        return sessions;
    }

    /**
     * Closes a rate window on the loop's and every leg's counters. Loop thread only.
     */
    public void rollRates(long nowNs) {
        long windowNs = nowNs - lastRateRollNs;
        if (windowNs <= 0) {
            return;
        }
        lastRateRollNs = nowNs;
        RelayCounters.rollRates(counters, windowNs);
        for (int i = 0; i < sessions.size(); i++) {
            for (RelayStream stream : sessions.get(i).streams()) {
                RelayCounters.rollRates(stream.a().counters(), windowNs);
                RelayCounters.rollRates(stream.b().counters(), windowNs);
            }
        }
    }
}
