package io.spillway.node.ng;

/**
 * A bencode input that the decoder rejects, with the byte offset where it went wrong. The only
 * exception {@link BencodeDecoder} throws.
 */
public final class BencodeException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int offset;

    BencodeException(String reason, int offset) {
        super(reason + " at offset " + offset, null, false, false);
        this.offset = offset;
    }

    /** Offset of the offending byte, relative to the start of the decoded region. */
    public int offset() {
        return offset;
    }
}
