package io.spillway.node.ng;

/** A request the dispatcher answers with {@code result: error}; the message is the error-reason. */
final class NgRequestException extends Exception {
    private static final long serialVersionUID = 1L;

    NgRequestException(String reason) {
        super(reason, null, false, false);
    }
}
