package io.spillway.node.call;

/** A media-anchoring failure that the proxy turns into a SIP error response. */
public final class MediaHookException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int statusCode;

    /** Creates a failure answered with {@code statusCode} and {@code reason} as its phrase. */
    public MediaHookException(int statusCode, String reason) {
        super(reason, null, false, false);
        this.statusCode = statusCode;
    }

    /** The SIP status code the proxy answers with (4xx, 5xx). */
    public int statusCode() {
        return statusCode;
    }
}
