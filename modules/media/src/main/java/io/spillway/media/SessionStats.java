package io.spillway.media;

import java.util.List;

/** A point-in-time read of a session's counters, from any thread. */
public record SessionStats(long sessionId, String key, long ageMs, long idleMs,
                           List<StreamStats> streams, DirectionStats total) {
}
