package io.spillway.node.sip.proxy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The calls through the node by Call-ID. Owned by the signalling loop; the count is readable anywhere. */
final class CallTable {
    private final Map<String, CallRecord> byCallId = new HashMap<>();
    private volatile int size;

    CallRecord get(String callId) {
        return byCallId.get(callId);
    }

    void put(CallRecord call) {
        byCallId.put(call.callId, call);
        size = byCallId.size();
    }

    void remove(CallRecord call) {
        byCallId.remove(call.callId, call);
        size = byCallId.size();
    }

    int size() {
        return size;
    }

    List<CallRecord> all() {
        return new ArrayList<>(byCallId.values());
    }
}
