package io.spillway.sip;

import io.netty.buffer.ByteBuf;

/**
 * Cuts a TCP byte stream into SIP messages (RFC 3261 18.3): the header section ends at the first
 * empty line, Content-Length (mandatory on a stream) gives the body size. Handles several messages
 * in one read, one message spread over many reads, and CRLF keep-alives between messages
 * (RFC 5626 3.5.1), which are skipped.
 *
 * <p>A message that frames correctly but does not parse is reported to
 * {@link Sink#error(SipParseException, boolean)} with {@code fatal == false}; the stream goes on.
 * A framing error (no or bad Content-Length, header section or message over
 * {@link SipLimits#MAX_MESSAGE_BYTES}) is fatal: the framer refuses further input and the caller
 * closes the connection. The framer copies what it needs and never retains or releases the
 * caller's buffers. One framer per connection; not thread-safe.
 */
public final class SipStreamFramer {
    /** Receives framed messages and errors. */
    public interface Sink {
        /** A complete, parsed message. */
        void message(SipMessage message);

        /** A message that failed to parse ({@code fatal == false}) or a framing error (fatal). */
        void error(SipParseException error, boolean fatal);
    }

    private static final int INITIAL_CAPACITY = 2048;
    private static final byte[] CONTENT_LENGTH = "content-length".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private byte[] acc = new byte[INITIAL_CAPACITY];
    private int start;
    private int end;
    /** Where the search for the empty line resumes, so a slow sender costs O(n), not O(n^2). */
    private int scanFrom;
    /** Total length of the message being assembled once its header section is known, else -1. */
    private int pendingLength = -1;
    private boolean failed;

    /** Bytes held waiting for the rest of a message. */
    public int bufferedBytes() {
        return end - start;
    }

    /** True after a fatal framing error. */
    public boolean isFailed() {
        return failed;
    }

    /**
     * Consumes every readable byte of {@code in} (its reader index advances; it is not released)
     * and delivers each complete message. Returns false when the stream has failed.
     */
    public boolean decode(ByteBuf in, Sink sink) {
        while (!failed && in.isReadable()) {
            ensureRoom();
            int n = Math.min(in.readableBytes(), acc.length - end);
            in.readBytes(acc, end, n);
            end += n;
            drain(sink);
        }
        return !failed;
    }

    /** As {@link #decode(ByteBuf, Sink)} for an array slice. */
    public boolean decode(byte[] data, int offset, int length, Sink sink) {
        int p = offset;
        int stop = offset + length;
        while (!failed && p < stop) {
            ensureRoom();
            int n = Math.min(stop - p, acc.length - end);
            System.arraycopy(data, p, acc, end, n);
            end += n;
            p += n;
            drain(sink);
        }
        return !failed;
    }

    private void ensureRoom() {
        if (start > 0 && (end == acc.length || start == end)) {
            System.arraycopy(acc, start, acc, 0, end - start);
            end -= start;
            scanFrom -= start;
            start = 0;
        }
        if (end == acc.length && acc.length < SipLimits.MAX_MESSAGE_BYTES) {
            acc = java.util.Arrays.copyOf(acc, Math.min(SipLimits.MAX_MESSAGE_BYTES, acc.length * 2));
        }
    }

    private void drain(Sink sink) {
        while (!failed) {
            if (pendingLength < 0) {
                while (start < end && (acc[start] == '\r' || acc[start] == '\n')) {
                    start++;
                }
                if (scanFrom < start) {
                    scanFrom = start;
                }
                int headerEnd = findHeaderEnd();
                if (headerEnd < 0) {
                    if (end - start >= SipLimits.MAX_MESSAGE_BYTES) {
                        fatal(sink, "header section too large");
                    }
                    return;
                }
                long cl = contentLength(start, headerEnd, sink);
                if (cl < 0) {
                    return;
                }
                long total = (headerEnd - start) + cl;
                if (total > SipLimits.MAX_MESSAGE_BYTES) {
                    failed = true;
                    sink.error(SipParser.tooLarge((int) Math.min(Integer.MAX_VALUE, total)), true);
                    return;
                }
                pendingLength = (int) total;
            }
            if (end - start < pendingLength) {
                return;
            }
            byte[] msg = java.util.Arrays.copyOfRange(acc, start, start + pendingLength);
            start += pendingLength;
            scanFrom = start;
            pendingLength = -1;
            SipMessage m;
            try {
                m = SipParser.parse(msg, 0, msg.length, true);
            } catch (SipParseException e) {
                sink.error(e, false);
                continue;
            }
            sink.message(m);
        }
    }

    /** Index just after the empty line (CRLFCRLF or LFLF) from {@link #scanFrom}, or -1. */
    private int findHeaderEnd() {
        int i = Math.max(scanFrom, start);
        for (; i < end; i++) {
            if (acc[i] != '\n') {
                continue;
            }
            if (i + 1 < end && acc[i + 1] == '\n') {
                return i + 2;
            }
            if (i + 2 < end && acc[i + 1] == '\r' && acc[i + 2] == '\n') {
                return i + 3;
            }
            if (i + 2 >= end) {
                break;
            }
        }
        scanFrom = Math.max(start, i - 1);
        return -1;
    }

    /** The Content-Length of the header section {@code [from, to)}, or -1 after reporting a fatal error. */
    private long contentLength(int from, int to, Sink sink) {
        long found = -1;
        int p = from;
        while (p < to) {
            int lf = p;
            while (lf < to && acc[lf] != '\n') {
                lf++;
            }
            int ne = p;
            while (ne < lf && SipText.isToken(acc[ne])) {
                ne++;
            }
            boolean isCl = (ne - p == 1 && (acc[p] | 0x20) == 'l')
                    || SipText.regionEqualsIgnoreCase(acc, p, ne, CONTENT_LENGTH);
            if (isCl && p > from) {
                int c = ne;
                while (c < lf && (acc[c] == ' ' || acc[c] == '\t')) {
                    c++;
                }
                if (c < lf && acc[c] == ':') {
                    long v = digits(c + 1, to);
                    if (v < 0 || found >= 0 && v != found) {
                        fatal(sink, v < 0 ? "invalid Content-Length" : "conflicting Content-Length values");
                        return -1;
                    }
                    found = v;
                }
            }
            p = lf + 1;
        }
        if (found < 0) {
            fatal(sink, "missing Content-Length on a stream transport");
        }
        return found;
    }

    /** 1*DIGIT surrounded by LWS from {@code p}, following folded continuation lines. */
    private long digits(int p, int to) {
        long v = -1;
        boolean done = false;
        int i = p;
        while (i < to) {
            byte c = acc[i];
            if (c == '\n') {
                if (i + 1 < to && (acc[i + 1] == ' ' || acc[i + 1] == '\t')) {
                    i++;
                    continue;
                }
                break;
            }
            if (c == ' ' || c == '\t' || c == '\r') {
                if (v >= 0) {
                    done = true;
                }
            } else if (SipText.isDigit(c) && !done) {
                v = (v < 0 ? 0 : v * 10) + (c - '0');
                if (v > SipLimits.MAX_BODY_BYTES) {
                    return -1;
                }
            } else {
                return -1;
            }
            i++;
        }
        return v;
    }

    private void fatal(Sink sink, String reason) {
        failed = true;
        sink.error(new SipParseException(reason, -1), true);
    }
}
