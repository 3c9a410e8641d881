package io.spillway.node.ng;

/** The relay could not satisfy an ng request (ports exhausted, engine stopped). */
public final class NgBackendException extends Exception {
    private static final long serialVersionUID = 1L;

    /** A failure with a reason that goes into the ng {@code error-reason}. */
    public NgBackendException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
