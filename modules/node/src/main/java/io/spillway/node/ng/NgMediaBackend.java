package io.spillway.node.ng;

/**
 * The relay, as the ng control port needs it: open streams, and a node-wide view for
 * {@code statistics}. The daemon provides an adapter over the media module's engine.
 */
public interface NgMediaBackend {

    /**
     * Opens a stream for {@code callId} with a fresh local port pair on each leg.
     *
     * @param callId the call the stream belongs to (for logs and admin views)
     * @param mediaType the SDP media type ("audio", "video", ...)
     * @param ipv6 bind the stream's ports in IPv6 (the offerer's SDP address family)
     * @throws NgBackendException when no ports are left or the relay refuses the stream
     */
    NgRelayStream openStream(String callId, String mediaType, boolean ipv6) throws NgBackendException;

    /** Streams currently open on the node (all callers, not just ng). */
    long openStreams();
}
