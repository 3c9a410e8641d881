package io.spillway.sip;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

/**
 * Parses one SIP message from a UDP datagram (or, via {@link SipStreamFramer}, from an exactly
 * framed slice of a TCP stream) into a {@link SipRequest} or {@link SipResponse}.
 *
 * <p>One pass over the bytes finds the start line, every header line (with folding) and the body,
 * rejects control characters, bad UTF-8 and oversize input, and checks the scalar mandatory
 * headers: CSeq (number and method, which must match the request method: RFC 4475
 * mismatch01/02), Call-ID, Content-Length (conflicting values rejected: RFC 4475 mcl01) and
 * Max-Forwards. Requests and responses must carry Via, From, To, Call-ID and CSeq. Max-Forwards
 * may be absent (RFC 3261 16.6 step 3: a proxy adds one with 70); {@link SipMessage#maxForwards()}
 * returns -1 then. On a datagram, bytes after Content-Length are ignored (RFC 4475 dblreq) and a
 * missing Content-Length means "the rest of the datagram".
 *
 * <p>Errors are {@link SipParseException}s only. Errors in the request line or in a header value
 * are reported after the whole header section has been indexed, so that a request whose Via,
 * From, To, Call-ID and CSeq are present can still be answered with 400.
 */
public final class SipParser {
    /** SIP-Version, compared case-insensitively (RFC 3261 7.1). */
    private static final byte[] LOWER_SIP = {'s', 'i', 'p', '/', '2', '.', '0'};

    private SipParser() {
    }

    /**
     * Parses the readable bytes of a datagram. The buffer's indices are not changed and it is not
     * released; the message keeps its own copy of the bytes.
     */
    public static SipMessage parse(ByteBuf datagram) {
        int len = datagram.readableBytes();
        if (len > SipLimits.MAX_MESSAGE_BYTES) {
            throw tooLarge(len);
        }
        byte[] copy = ByteBufUtil.getBytes(datagram, datagram.readerIndex(), len, false);
        return parse(copy, 0, len, false);
    }

    /**
     * True when a datagram holds only CR and LF bytes: a keep-alive (RFC 5626 4.4.1 "double
     * CRLF" ping, or its single CRLF pong) to be answered or ignored, not parsed or counted as bad.
     */
    public static boolean isKeepAlive(ByteBuf datagram) {
        int end = datagram.writerIndex();
        int i = datagram.readerIndex();
        if (i == end) {
            return false;
        }
        for (; i < end; i++) {
            byte c = datagram.getByte(i);
            if (c != '\r' && c != '\n') {
                return false;
            }
        }
        return true;
    }

    /** Parses a whole datagram. The array is kept by the message (not copied): do not reuse it. */
    public static SipMessage parse(byte[] datagram) {
        return parse(datagram, 0, datagram.length, false);
    }

    /** Parses {@code data[offset, offset+length)} as a datagram; the array is kept, not copied. */
    public static SipMessage parse(byte[] data, int offset, int length) {
        return parse(data, offset, length, false);
    }

    /** Parses a request; a response is rejected. */
    public static SipRequest parseRequest(byte[] datagram) {
        SipMessage m = parse(datagram);
        if (m instanceof SipRequest r) {
            return r;
        }
        throw new SipParseException("expected a request", 0);
    }

    /** Parses a response; a request is rejected. */
    public static SipResponse parseResponse(byte[] datagram) {
        SipMessage m = parse(datagram);
        if (m instanceof SipResponse r) {
            return r;
        }
        throw new SipParseException("expected a response", 0);
    }

    /**
     * Parses {@code b[off, off+len)}. With {@code stream} set, Content-Length is mandatory and must
     * equal the bytes after the header section exactly (the framer guarantees it).
     */
    static SipMessage parse(byte[] b, int off, int len, boolean stream) {
        if (len > SipLimits.MAX_MESSAGE_BYTES) {
            throw tooLarge(len);
        }
        return new Run(b, off, len, stream).parse();
    }

    static SipParseException tooLarge(int len) {
        return new SipParseException("message too large (" + len + " > " + SipLimits.MAX_MESSAGE_BYTES + " bytes)", -1,
                513, null);
    }

    /** The state of one parse; short-lived, so its fields stay in registers after inlining. */
    private static final class Run {
        final byte[] b;
        final int off;
        final int end;
        final boolean stream;
        SipMessage m;
        String pending;
        int pendingOffset = -1;
        int pendingStatus = 400;
        int contentLength = -1;
        int eolLen;
        /** Indexes of the headers whose values {@link #finish()} checks (CSeq, Call-ID, ...). */
        int[] toCheck = new int[4];
        int toCheckCount;

        Run(byte[] b, int off, int len, boolean stream) {
            this.b = b;
            this.off = off;
            this.end = off + len;
            this.stream = stream;
        }

        SipMessage parse() {
            int p = off;
            while (p < end && (b[p] == '\r' || b[p] == '\n')) {
                p++;
            }
            if (p >= end) {
                throw fail("empty message", p);
            }
            int eol = scanLine(p);
            int lineEnd = eol - eolLen + 1;
            if (lineEnd - p > 4 && b[p] == 'S' && b[p + 1] == 'I' && b[p + 2] == 'P' && b[p + 3] == '/') {
                parseStatusLine(p, lineEnd);
            } else {
                parseRequestLine(p, lineEnd);
            }
            m.startLineNext = eol + 1;
            parseHeaders(eol + 1);
            finish();
            return m;
        }

        /**
         * Scans one line from {@code p}: returns the index of its LF, sets {@link #eolLen} (1 or 2)
         * and rejects control characters, bad UTF-8, over-long and unterminated lines.
         */
        int scanLine(int p) {
            int i = p;
            int limit = Math.min(end, p + SipLimits.MAX_LINE_BYTES + 2);
            while (i < limit) {
                byte x = b[i];
                if (x >= 0x20) {
                    if (x == 0x7f && (i == p || b[i - 1] != '\\')) {
                        throw fail("control character 0x7f", i);
                    }
                    i++;
                } else if (x == '\n') {
                    eolLen = 1;
                    return checkLen(p, i, i);
                } else if (x == '\r') {
                    if (i + 1 < end && b[i + 1] == '\n') {
                        eolLen = 2;
                        return checkLen(p, i, i + 1);
                    }
                    throw fail("CR not followed by LF", i);
                } else if (x == '\t') {
                    i++;
                } else if (x < 0) {
                    i = utf8(i);
                } else if (i > p && b[i - 1] == '\\') {
                    i++; // quoted-pair may escape a control character (RFC 3261 25.1; RFC 4475 intmeth)
                } else {
                    throw fail(x == 0 ? "NUL byte" : "control character 0x" + Integer.toHexString(x), i);
                }
            }
            if (i >= end) {
                throw fail("truncated message: line not terminated", i);
            }
            throw fail("line too long", p);
        }

        private int checkLen(int p, int contentEnd, int lf) {
            if (contentEnd - p > SipLimits.MAX_LINE_BYTES) {
                throw fail("line too long", p);
            }
            return lf;
        }

        /** UTF8-NONASCII (RFC 3261 25.1): validates one multi-byte sequence, returns the next index. */
        private int utf8(int i) {
            int c = b[i] & 0xff;
            int n;
            if (c >= 0xc2 && c <= 0xdf) {
                n = 1;
            } else if (c >= 0xe0 && c <= 0xef) {
                n = 2;
            } else if (c >= 0xf0 && c <= 0xf4) {
                n = 3;
            } else {
                throw fail("invalid UTF-8", i);
            }
            if (i + n >= end) {
                throw fail("invalid UTF-8", i);
            }
            for (int k = 1; k <= n; k++) {
                if ((b[i + k] & 0xc0) != 0x80) {
                    throw fail("invalid UTF-8", i);
                }
            }
            return i + n + 1;
        }

        /** Request-Line = Method SP Request-URI SP SIP-Version CRLF (RFC 3261 25.1). */
        void parseRequestLine(int p, int lineEnd) {
            int i = p;
            while (i < lineEnd && SipText.isToken(b[i])) {
                i++;
            }
            if (i == p || i >= lineEnd || b[i] != ' ') {
                throw fail("invalid request line", p);
            }
            SipRequest r = new SipRequest(b, p, 16);
            m = r;
            r.method = SipMethods.of(b, p, i);
            int uriStart = i + 1;
            int lastSp = lineEnd - 1;
            while (lastSp > i && b[lastSp] != ' ') {
                lastSp--;
            }
            r.uriStart = uriStart;
            r.uriEnd = Math.max(uriStart, lastSp);
            if (b[lineEnd - 1] == ' ' || b[lineEnd - 1] == '\t') {
                defer("trailing white space in request line", lineEnd - 1, 400);
                return;
            }
            if (lastSp == i) {
                defer("missing Request-URI or SIP version", uriStart, 400);
                return;
            }
            if (lastSp <= uriStart || b[uriStart] == ' ' || b[uriStart] == '\t') {
                defer("more than one SP between request line elements", uriStart, 400);
                return;
            }
            for (int k = uriStart; k < lastSp; k++) {
                if (b[k] == ' ' || b[k] == '\t') {
                    defer("white space in Request-URI", k, 400);
                    return;
                }
            }
            checkVersion(lastSp + 1, lineEnd);
            checkRequestUri(uriStart, lastSp);
        }

        private void checkVersion(int vs, int ve) {
            if (ve - vs == LOWER_SIP.length && SipText.regionEqualsIgnoreCase(b, vs, ve, LOWER_SIP)) {
                return;
            }
            int k = vs;
            boolean looksLikeVersion = ve - vs > 4 && (b[k] | 0x20) == 's' && (b[k + 1] | 0x20) == 'i'
                    && (b[k + 2] | 0x20) == 'p' && b[k + 3] == '/';
            if (looksLikeVersion) {
                defer("unsupported SIP version", vs, 505);
            } else {
                defer("invalid SIP version", vs, 400);
            }
        }

        /** Request-URI = SIP-URI / SIPS-URI / absoluteURI; no headers in a SIP Request-URI (19.1.5). */
        private void checkRequestUri(int us, int ue) {
            if (b[us] == '<') {
                defer("Request-URI enclosed in <>", us, 400);
                return;
            }
            int k = us;
            while (k < ue && (Character.isLetterOrDigit(b[k]) || b[k] == '+' || b[k] == '-' || b[k] == '.')) {
                k++;
            }
            if (k == us || k >= ue - 1 || b[k] != ':' || !Character.isLetter(b[us])) {
                defer("invalid Request-URI", us, 400);
                return;
            }
            boolean sip = (k - us == 3 || k - us == 4) && (b[us] | 0x20) == 's' && (b[us + 1] | 0x20) == 'i'
                    && (b[us + 2] | 0x20) == 'p' && (k - us == 3 || (b[us + 3] | 0x20) == 's');
            if (!sip) {
                return;
            }
            int host = k + 1;
            for (int j = host; j < ue; j++) {
                if (b[j] == '@') {
                    host = j + 1;
                    break;
                }
            }
            for (int j = host; j < ue; j++) {
                if (b[j] == '?') {
                    defer("headers in Request-URI", j, 400);
                    return;
                }
                if (b[j] == '<' || b[j] == '>' || b[j] == '"') {
                    defer("invalid character in Request-URI", j, 400);
                    return;
                }
            }
            if (host >= ue || b[host] == ';' || b[host] == ':') {
                defer("missing host in Request-URI", host, 400);
            }
        }

        /** Status-Line = SIP-Version SP Status-Code SP Reason-Phrase CRLF. */
        void parseStatusLine(int p, int lineEnd) {
            int sp = p;
            while (sp < lineEnd && b[sp] != ' ') {
                sp++;
            }
            if (sp - p != LOWER_SIP.length || !SipText.regionEqualsIgnoreCase(b, p, sp, LOWER_SIP)) {
                throw fail("unsupported SIP version in status line", p);
            }
            int cs = sp + 1;
            int ce = cs;
            while (ce < lineEnd && SipText.isDigit(b[ce])) {
                ce++;
            }
            if (ce - cs != 3 || (ce < lineEnd && b[ce] != ' ')) {
                throw fail("invalid status code", cs);
            }
            int code = (b[cs] - '0') * 100 + (b[cs + 1] - '0') * 10 + (b[cs + 2] - '0');
            if (code < 100 || code > 699) {
                throw fail("invalid status code", cs);
            }
            SipResponse r = new SipResponse(b, p, 16);
            m = r;
            r.statusCode = code;
            r.reasonStart = Math.min(ce + 1, lineEnd);
            r.reasonEnd = lineEnd;
        }

        void parseHeaders(int p) {
            SipMessage msg = m;
            boolean sawCseq = false;
            boolean sawCallId = false;
            boolean sawMaxForwards = false;
            while (true) {
                if (p >= end) {
                    throw fail("truncated message: no empty line after headers", p);
                }
                int eol = scanLine(p);
                int contentEnd = eol - eolLen + 1;
                if (contentEnd == p) {
                    msg.blankStart = p;
                    msg.bodyStart = eol + 1;
                    return;
                }
                byte c = b[p];
                if (c == ' ' || c == '\t') {
                    if (msg.hcount == 0) {
                        throw fail("continuation line before the first header", p);
                    }
                    int o = (msg.hcount - 1) * SipMessage.STRIDE;
                    int ve = trimEnd(p, contentEnd);
                    if (ve > p) {
                        if (msg.hdr[o + SipMessage.VALUE_START] == msg.hdr[o + SipMessage.VALUE_END]) {
                            int vs = p;
                            while (b[vs] == ' ' || b[vs] == '\t') {
                                vs++;
                            }
                            msg.hdr[o + SipMessage.VALUE_START] = vs;
                        }
                        msg.hdr[o + SipMessage.VALUE_END] = ve;
                    }
                    msg.hdr[o + SipMessage.LINE_END] = eol + 1;
                    p = eol + 1;
                    continue;
                }
                int ne = p;
                while (ne < contentEnd && SipText.isToken(b[ne])) {
                    ne++;
                }
                int colon = ne;
                while (colon < contentEnd && (b[colon] == ' ' || b[colon] == '\t')) {
                    colon++;
                }
                if (ne == p || colon >= contentEnd || b[colon] != ':') {
                    throw fail("invalid header name", p);
                }
                if (msg.hcount >= SipLimits.MAX_HEADERS) {
                    throw fail("too many headers (> " + SipLimits.MAX_HEADERS + ")", p);
                }
                int vs = colon + 1;
                while (vs < contentEnd && (b[vs] == ' ' || b[vs] == '\t')) {
                    vs++;
                }
                int ve = trimEnd(vs, contentEnd);
                int id = SipHeaders.id(b, p, ne);
                msg.indexHeader(p, ne, vs, ve, eol + 1, id);
                p = eol + 1;
                // CSeq, Call-ID, Max-Forwards (first occurrence) and every Content-Length are
                // checked once the whole section is indexed, when folded values are complete.
                if (id == SipHeaders.CSEQ) {
                    if (sawCseq) {
                        continue;
                    }
                    sawCseq = true;
                } else if (id == SipHeaders.CALL_ID) {
                    if (sawCallId) {
                        continue;
                    }
                    sawCallId = true;
                } else if (id == SipHeaders.MAX_FORWARDS) {
                    if (sawMaxForwards) {
                        continue;
                    }
                    sawMaxForwards = true;
                } else if (id != SipHeaders.CONTENT_LENGTH) {
                    continue;
                }
                checkLater(msg.hcount - 1);
            }
        }

        private void checkLater(int headerIndex) {
            if (toCheckCount == toCheck.length) {
                toCheck = java.util.Arrays.copyOf(toCheck, toCheckCount * 2);
            }
            toCheck[toCheckCount++] = headerIndex;
        }

        private int trimEnd(int start, int e) {
            while (e > start && (b[e - 1] == ' ' || b[e - 1] == '\t')) {
                e--;
            }
            return e;
        }

        void finish() {
            SipMessage msg = m;
            for (int k = 0; k < toCheckCount && pending == null; k++) {
                int i = toCheck[k];
                int o = i * SipMessage.STRIDE;
                int vs = msg.hdr[o + SipMessage.VALUE_START];
                int ve = msg.hdr[o + SipMessage.VALUE_END];
                switch (msg.hid[i]) {
                    case SipHeaders.CSEQ -> checkCseq(vs, ve);
                    case SipHeaders.CALL_ID -> checkCallId(vs, ve);
                    case SipHeaders.MAX_FORWARDS -> {
                        long v = number(vs, ve, SipLimits.MAX_MAX_FORWARDS);
                        if (v < 0) {
                            defer("invalid Max-Forwards", vs, 400);
                        }
                    }
                    case SipHeaders.CONTENT_LENGTH -> {
                        long v = number(vs, ve, SipLimits.MAX_BODY_BYTES);
                        if (v < 0) {
                            defer("invalid Content-Length", vs, 400);
                        } else if (contentLength >= 0 && contentLength != v) {
                            defer("conflicting Content-Length values", vs, 400);
                        } else {
                            contentLength = (int) v;
                        }
                    }
                    default -> {
                    }
                }
            }
            int available = end - msg.bodyStart;
            if (contentLength >= 0) {
                if (contentLength > available) {
                    defer("Content-Length larger than message", msg.bodyStart, 400);
                    msg.bodyLength = available;
                } else {
                    msg.bodyLength = contentLength;
                }
            } else if (stream && pending == null) {
                defer("missing Content-Length on a stream transport", msg.bodyStart, 400);
            } else {
                msg.bodyLength = available;
            }
            if (pending == null) {
                checkMandatory(SipHeaders.VIA, "missing Via");
                checkMandatory(SipHeaders.FROM, "missing From");
                checkMandatory(SipHeaders.TO, "missing To");
                checkMandatory(SipHeaders.CALL_ID, "missing Call-ID");
                checkMandatory(SipHeaders.CSEQ, "missing CSeq");
            }
            if (pending == null && msg instanceof SipRequest r && !r.method.equals(msg.cseqMethod())) {
                int i = msg.indexOf(SipHeaders.CSEQ);
                defer("CSeq method does not match request method", msg.hdr[i * SipMessage.STRIDE], 400);
            }
            if (pending != null) {
                SipRequest partial = null;
                if (msg instanceof SipRequest r && respondable(r)) {
                    partial = r;
                }
                throw new SipParseException(pending, pendingOffset, pendingStatus, partial);
            }
        }

        private boolean respondable(SipRequest r) {
            return r.indexOf(SipHeaders.VIA) >= 0 && r.indexOf(SipHeaders.FROM) >= 0 && r.indexOf(SipHeaders.TO) >= 0
                    && r.indexOf(SipHeaders.CALL_ID) >= 0 && r.indexOf(SipHeaders.CSEQ) >= 0;
        }

        private void checkMandatory(int id, String reason) {
            if (pending == null && m.indexOf(id) < 0) {
                defer(reason, m.blankStart, 400);
            }
        }

        /** CSeq = 1*DIGIT LWS Method (RFC 3261 20.16); the number fits 32 bits unsigned. */
        private void checkCseq(int vs, int ve) {
            int i = vs;
            long n = 0;
            while (i < ve && SipText.isDigit(b[i])) {
                n = n * 10 + (b[i] - '0');
                if (n > SipLimits.MAX_CSEQ) {
                    defer("CSeq number too large", vs, 400);
                    return;
                }
                i++;
            }
            if (i == vs || i >= ve || !SipText.isLws(b[i])) {
                defer("invalid CSeq", vs, 400);
                return;
            }
            while (i < ve && SipText.isLws(b[i])) {
                i++;
            }
            int ms = i;
            while (i < ve && SipText.isToken(b[i])) {
                i++;
            }
            if (i == ms || i != ve) {
                defer("invalid CSeq method", ms, 400);
            }
        }

        /** callid = word [ "@" word ]: no white space, not empty. */
        private void checkCallId(int vs, int ve) {
            if (vs == ve) {
                defer("invalid Call-ID", vs, 400);
                return;
            }
            for (int i = vs; i < ve; i++) {
                byte x = b[i];
                if (x <= ' ' || x == 0x7f) {
                    defer("invalid Call-ID", i, 400);
                    return;
                }
            }
        }

        /** 1*DIGIT with a maximum; -1 when not a number or too large. */
        private long number(int vs, int ve, long max) {
            if (vs == ve) {
                return -1;
            }
            long n = 0;
            for (int i = vs; i < ve; i++) {
                if (!SipText.isDigit(b[i])) {
                    return -1;
                }
                n = n * 10 + (b[i] - '0');
                if (n > max) {
                    return -1;
                }
            }
            return n;
        }

        private void defer(String reason, int at, int status) {
            if (pending == null) {
                pending = reason;
                pendingOffset = at - off;
                pendingStatus = status;
            }
        }

        private SipParseException fail(String reason, int at) {
            return new SipParseException(reason, at - off);
        }
    }
}
