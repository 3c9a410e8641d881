package io.spillway.node.ng;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ng calls by call-id, bounded. Owned by the ng control thread (the event loop of the ng
 * channel), so it takes no lock; readers on other threads use {@link #size()} only.
 */
final class NgCallTable {
    private final Map<String, NgCall> calls = new LinkedHashMap<>();
    private final int maxCalls;
    private volatile int size;

    NgCallTable(int maxCalls) {
        this.maxCalls = maxCalls;
    }

    NgCall get(String callId) {
        return calls.get(callId);
    }

    /** Adds {@code call}; false if the table is full. */
    boolean add(NgCall call) {
        if (calls.size() >= maxCalls) {
            return false;
        }
        calls.put(call.callId, call);
        size = calls.size();
        return true;
    }

    NgCall remove(String callId) {
        NgCall call = calls.remove(callId);
        size = calls.size();
        return call;
    }

    /** Up to {@code limit} call-ids, oldest first. */
    List<String> callIds(int limit) {
        List<String> ids = new ArrayList<>(Math.min(limit, calls.size()));
        for (String id : calls.keySet()) {
            if (ids.size() >= limit) {
                break;
            }
            ids.add(id);
        }
        return ids;
    }

    List<NgCall> all() {
        return new ArrayList<>(calls.values());
    }

    int size() {
        return size;
    }
}
