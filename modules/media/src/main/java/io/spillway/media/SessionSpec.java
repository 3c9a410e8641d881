package io.spillway.media;

import java.util.List;

/**
 * A request for a relay session.
 *
 * @param key the caller's key, e.g. Call-ID + from-tag; unique among live sessions
 * @param id numeric id, unique among live sessions; all later calls use it
 * @param streams one per SDP m= line, at least one
 * @param latching latching mode, or null for the engine's default
 */
public record SessionSpec(String key, long id, List<StreamSpec> streams, LatchingMode latching) {
    public SessionSpec {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("session key must not be empty");
        }
        if (streams == null || streams.isEmpty()) {
            throw new IllegalArgumentException("session " + key + " needs at least one stream");
        }
        streams = List.copyOf(streams);
    }

    public SessionSpec(String key, long id, List<StreamSpec> streams) {
        this(key, id, streams, null);
    }
}
