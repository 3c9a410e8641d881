package io.spillway.media;

import java.util.List;

/** The relay ports of every stream of a session, in stream (m= line) order. */
public record SessionPorts(long sessionId, String key, List<StreamPorts> streams) {
    public SessionPorts {
        streams = List.copyOf(streams);
    }

    public StreamPorts stream(int index) {
        return streams.get(index);
    }
}
