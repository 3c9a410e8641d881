package io.spillway.node.ng;

import java.util.ArrayList;
import java.util.List;

/**
 * An ng call: its tags, one {@link NgCallStream} per SDP {@code m=} section, and signalling times.
 * Leg {@link NgLeg#A} belongs to the tag of the first offer. Owned by the ng control thread.
 */
final class NgCall {
    final String callId;
    final long createdEpochMs;
    long lastSignalEpochMs;
    final String tagA;
    String tagB;
    final List<NgCallStream> streams = new ArrayList<>();

    NgCall(String callId, String tagA, long nowEpochMs) {
        this.callId = callId;
        this.tagA = tagA;
        this.createdEpochMs = nowEpochMs;
        this.lastSignalEpochMs = nowEpochMs;
    }

    /** The leg of {@code tag}, or {@code null} if the tag is not (yet) part of the call. */
    NgLeg legOf(String tag) {
        if (tag.equals(tagA)) {
            return NgLeg.A;
        }
        return tag.equals(tagB) ? NgLeg.B : null;
    }

    void close() {
        for (NgCallStream s : streams) {
            s.close();
        }
    }
}
