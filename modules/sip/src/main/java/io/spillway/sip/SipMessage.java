package io.spillway.sip;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * A parsed SIP message: the received bytes plus an index of its start line, header lines and
 * body, with typed values parsed on demand and edits applied without re-serialising what they do
 * not touch.
 *
 * <p>The parser ({@link SipParser}) indexes every header line in one pass and checks the scalar
 * mandatory headers (CSeq, Call-ID, Content-Length, Max-Forwards). Structured values (Via, From,
 * To, Contact, Route, ...) are parsed when asked for; a malformed one then throws
 * {@link SipParseException}. Call {@link #validate()} to parse every known header up front, as a
 * proxy does before acting on a message.
 *
 * <p>Edits (push/pop Via, Record-Route, Route, set/remove header, Max-Forwards, body) replace or
 * insert whole header lines; every untouched line is written back byte-exact by
 * {@link #writeTo(ByteBuf)}. Not thread-safe: one message belongs to one event loop.
 */
public abstract sealed class SipMessage permits SipRequest, SipResponse {
    static final int STRIDE = 5;
    static final int LINE_START = 0;
    static final int NAME_END = 1;
    static final int VALUE_START = 2;
    static final int VALUE_END = 3;
    static final int LINE_END = 4;
    private static final byte[] BRANCH = {'b', 'r', 'a', 'n', 'c', 'h'};
    private static final byte[] TAG = {'t', 'a', 'g'};

    final byte[] buf;
    final int base;
    /** First byte after the start line's line end. */
    int startLineNext;
    /** Replacement start line including CRLF, or null when unedited. */
    byte[] startLine;

    int[] hdr;
    byte[] hid;
    /** Per header: the array its offsets refer to; null (or a null slot) means {@link #buf}. */
    byte[][] hsrc;
    int hcount;

    /** Offset of the empty line that ends the header section. */
    int blankStart;
    int bodyStart;
    int bodyLength;
    /** Replacement body, or null when unedited. */
    byte[] body;

    SipMessage(byte[] buf, int base, int expectedHeaders) {
        this.buf = buf;
        this.base = base;
        int cap = Math.max(8, expectedHeaders);
        this.hdr = new int[cap * STRIDE];
        this.hid = new byte[cap];
    }

    /** True for a request, false for a response. */
    public abstract boolean isRequest();

    /**
     * An independent copy for editing (e.g. the proxy forwards an edited copy and keeps the
     * original for its transaction). The received bytes are shared, never written; the index is
     * copied, so edits to one do not show in the other.
     */
    public abstract SipMessage copy();

    /** Copies the index and edits of this message into {@code m} (which shares {@link #buf}). */
    final <M extends SipMessage> M copyInto(M m) {
        m.startLineNext = startLineNext;
        m.startLine = startLine;
        m.hdr = hdr.clone();
        m.hid = hid.clone();
        m.hsrc = hsrc == null ? null : hsrc.clone();
        m.hcount = hcount;
        m.blankStart = blankStart;
        m.bodyStart = bodyStart;
        m.bodyLength = bodyLength;
        m.body = body;
        return m;
    }

    // ---------------------------------------------------------------- header index

    /** Number of header lines (a folded header counts once). */
    public int headerCount() {
        return hcount;
    }

    /** The header id ({@link SipHeaders}) of the i-th header line. */
    public int headerId(int i) {
        return hid[i];
    }

    /** The name of the i-th header line as written (e.g. {@code "v"} for a compact Via). */
    public String headerName(int i) {
        byte[] s = src(i);
        int ls = hdr[i * STRIDE + LINE_START];
        int ne = hdr[i * STRIDE + NAME_END];
        return new String(s, ls, ne - ls, StandardCharsets.UTF_8);
    }

    /** The value of the i-th header line, folding collapsed to single spaces. */
    public String headerValue(int i) {
        return SipText.unfold(src(i), hdr[i * STRIDE + VALUE_START], hdr[i * STRIDE + VALUE_END]);
    }

    /** The value of the first header with this name (any case, compact forms too), or null. */
    public String header(String name) {
        int i = indexOf(name);
        return i < 0 ? null : headerValue(i);
    }

    /** The values of every header line with this name, in order (one entry per line). */
    public List<String> headers(String name) {
        int id = SipHeaders.id(name);
        byte[] lower = name.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8);
        List<String> out = new ArrayList<>(2);
        for (int i = 0; i < hcount; i++) {
            if (matches(i, id, lower)) {
                out.add(headerValue(i));
            }
        }
        return out;
    }

    /**
     * Every comma-separated value of every header line with this name, in order; commas inside
     * quotes or {@code <>} do not split. Use for list headers (Via, Contact, Route, Allow, ...).
     */
    public List<String> headerValues(String name) {
        int id = SipHeaders.id(name);
        byte[] lower = name.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8);
        List<String> out = new ArrayList<>(2);
        for (int i = 0; i < hcount; i++) {
            if (matches(i, id, lower)) {
                splitValues(i, out);
            }
        }
        return out;
    }

    /** True when at least one header with this name is present. */
    public boolean hasHeader(String name) {
        return indexOf(name) >= 0;
    }

    // ---------------------------------------------------------------- fast typed accessors

    /** Call-ID, trimmed. Never null on a parsed message. */
    public String callId() {
        int i = indexOf(SipHeaders.CALL_ID);
        return i < 0 ? null : headerValue(i);
    }

    /** The CSeq sequence number. */
    public long cseqNumber() {
        int i = indexOf(SipHeaders.CSEQ);
        if (i < 0) {
            return -1;
        }
        return digits(i);
    }

    /** The CSeq method, the same String instance as {@link SipMethods} holds for known methods. */
    public String cseqMethod() {
        int i = indexOf(SipHeaders.CSEQ);
        if (i < 0) {
            return null;
        }
        byte[] s = src(i);
        int p = hdr[i * STRIDE + VALUE_START];
        int end = hdr[i * STRIDE + VALUE_END];
        while (p < end && SipText.isDigit(s[p])) {
            p++;
        }
        while (p < end && SipText.isLws(s[p])) {
            p++;
        }
        return SipMethods.of(s, p, end);
    }

    /** CSeq as a value. */
    public CSeq cseq() {
        return new CSeq(cseqNumber(), cseqMethod());
    }

    /** Max-Forwards, or -1 when absent (a proxy then assumes {@link SipLimits#DEFAULT_MAX_FORWARDS}). */
    public int maxForwards() {
        int i = indexOf(SipHeaders.MAX_FORWARDS);
        return i < 0 ? -1 : (int) digits(i);
    }

    /** Content-Length as written, or -1 when absent (allowed on UDP only). */
    public int contentLength() {
        int i = indexOf(SipHeaders.CONTENT_LENGTH);
        return i < 0 ? -1 : (int) digits(i);
    }

    /** Content-Type value (e.g. {@code application/sdp}), or null. */
    public String contentType() {
        int i = indexOf(SipHeaders.CONTENT_TYPE);
        return i < 0 ? null : headerValue(i);
    }

    /** The branch parameter of the topmost Via value, or null. No Via object is built. */
    public String topViaBranch() {
        int i = indexOf(SipHeaders.VIA);
        return i < 0 ? null : SipText.findParam(src(i), hdr[i * STRIDE + VALUE_START],
                hdr[i * STRIDE + VALUE_END], BRANCH, true);
    }

    /** The From tag, or null. No address object is built. */
    public String fromTag() {
        return tagOf(SipHeaders.FROM);
    }

    /** The To tag, or null. */
    public String toTag() {
        return tagOf(SipHeaders.TO);
    }

    private String tagOf(int id) {
        int i = indexOf(id);
        if (i < 0) {
            return null;
        }
        String t = SipText.findParam(src(i), hdr[i * STRIDE + VALUE_START], hdr[i * STRIDE + VALUE_END], TAG,
                false);
        return t == null || t.isEmpty() ? null : t;
    }

    // ---------------------------------------------------------------- structured accessors

    /** Every Via value, topmost first, across all Via lines. */
    public List<Via> vias() {
        List<Via> out = new ArrayList<>(2);
        for (String v : valuesOf(SipHeaders.VIA)) {
            out.add(Via.parse(v));
        }
        return out;
    }

    /** The topmost Via value as written (folding collapsed), e.g. to copy into a CANCEL; or null. */
    public String topViaValue() {
        int i = indexOf(SipHeaders.VIA);
        if (i < 0) {
            return null;
        }
        byte[] s = src(i);
        int vs = hdr[i * STRIDE + VALUE_START];
        int ve = hdr[i * STRIDE + VALUE_END];
        int comma = SipText.topLevelComma(s, vs, ve);
        return SipText.unfold(s, vs, comma < 0 ? ve : comma).trim();
    }

    /** The topmost Via value, or null. */
    public Via topVia() {
        String v = topViaValue();
        return v == null ? null : Via.parse(v);
    }

    /** From as an address. */
    public NameAddr from() {
        int i = indexOf(SipHeaders.FROM);
        return i < 0 ? null : NameAddr.parse(headerValue(i));
    }

    /** To as an address. */
    public NameAddr to() {
        int i = indexOf(SipHeaders.TO);
        return i < 0 ? null : NameAddr.parse(headerValue(i));
    }

    /** Every Contact value in order; a single {@code *} yields one entry with {@link NameAddr#isWildcard()}. */
    public List<NameAddr> contacts() {
        return addresses(SipHeaders.CONTACT);
    }

    /** Every Route value, topmost first. */
    public List<NameAddr> routes() {
        return addresses(SipHeaders.ROUTE);
    }

    /** Every Record-Route value, topmost first. */
    public List<NameAddr> recordRoutes() {
        return addresses(SipHeaders.RECORD_ROUTE);
    }

    /** Expires in seconds, or -1 when absent. */
    public long expires() {
        int i = indexOf(SipHeaders.EXPIRES);
        return i < 0 ? -1 : SipValueParser.deltaSeconds(headerValue(i), "Expires");
    }

    /** Retry-After delta-seconds (comment and parameters ignored), or -1 when absent. */
    public long retryAfter() {
        int i = indexOf(SipHeaders.RETRY_AFTER);
        if (i < 0) {
            return -1;
        }
        String v = headerValue(i);
        int end = 0;
        while (end < v.length() && SipText.isDigit(v.charAt(end))) {
            end++;
        }
        return SipValueParser.deltaSeconds(v.substring(0, end), "Retry-After");
    }

    /** Authorization values (digest params in a map). */
    public List<AuthValue> authorization() {
        return auth(SipHeaders.AUTHORIZATION);
    }

    /** Proxy-Authorization values. */
    public List<AuthValue> proxyAuthorization() {
        return auth(SipHeaders.PROXY_AUTHORIZATION);
    }

    /** WWW-Authenticate challenges. */
    public List<AuthValue> wwwAuthenticate() {
        return auth(SipHeaders.WWW_AUTHENTICATE);
    }

    /** Proxy-Authenticate challenges. */
    public List<AuthValue> proxyAuthenticate() {
        return auth(SipHeaders.PROXY_AUTHENTICATE);
    }

    /** Allow tokens. */
    public List<String> allow() {
        return tokens(SipHeaders.ALLOW);
    }

    /** Supported option tags. */
    public List<String> supported() {
        return tokens(SipHeaders.SUPPORTED);
    }

    /** Require option tags. */
    public List<String> require() {
        return tokens(SipHeaders.REQUIRE);
    }

    /** Proxy-Require option tags. */
    public List<String> proxyRequire() {
        return tokens(SipHeaders.PROXY_REQUIRE);
    }

    private List<NameAddr> addresses(int id) {
        List<String> values = valuesOf(id);
        if (values.isEmpty()) {
            return Collections.emptyList();
        }
        List<NameAddr> out = new ArrayList<>(values.size());
        for (String v : values) {
            out.add(NameAddr.parse(v));
        }
        return out;
    }

    private List<AuthValue> auth(int id) {
        List<AuthValue> out = new ArrayList<>(1);
        for (int i = 0; i < hcount; i++) {
            if (hid[i] == id) {
                out.add(AuthValue.parse(headerValue(i)));
            }
        }
        return out;
    }

    private List<String> tokens(int id) {
        List<String> values = valuesOf(id);
        for (String v : values) {
            if (!SipText.isToken(v)) {
                throw SipValueParser.error("invalid token in " + SipHeaders.canonicalName(id));
            }
        }
        return values;
    }

    List<String> valuesOf(int id) {
        List<String> out = new ArrayList<>(2);
        for (int i = 0; i < hcount; i++) {
            if (hid[i] == id) {
                splitValues(i, out);
            }
        }
        return out;
    }

    private void splitValues(int i, List<String> out) {
        byte[] s = src(i);
        int vs = hdr[i * STRIDE + VALUE_START];
        int ve = hdr[i * STRIDE + VALUE_END];
        while (true) {
            int comma = SipText.topLevelComma(s, vs, ve);
            int end = comma < 0 ? ve : comma;
            String v = SipText.unfold(s, vs, end).trim();
            if (!v.isEmpty() || comma >= 0) {
                out.add(v);
            }
            if (comma < 0) {
                return;
            }
            vs = comma + 1;
        }
    }

    /**
     * Parses every known header (Via, From, To, Contact, Route, Record-Route, Expires,
     * Retry-After, Date, auth headers, option tags) and checks that single-valued headers appear
     * once (RFC 4475 multi01). Throws {@link SipParseException} on the first problem; the
     * exception carries this message when it is a request that can be answered.
     */
    public void validate() {
        try {
            for (String v : valuesOf(SipHeaders.VIA)) {
                Via.parse(v);
            }
            from();
            to();
            for (NameAddr c : contacts()) {
                c.expires();
                c.q();
            }
            routes();
            recordRoutes();
            expires();
            retryAfter();
            authorization();
            proxyAuthorization();
            wwwAuthenticate();
            proxyAuthenticate();
            allow();
            supported();
            require();
            proxyRequire();
            int d = indexOf(SipHeaders.DATE);
            if (d >= 0) {
                SipValueParser.checkDate(headerValue(d));
            }
            checkSingle(SipHeaders.FROM);
            checkSingle(SipHeaders.TO);
            checkSingle(SipHeaders.CALL_ID);
            checkSingle(SipHeaders.CSEQ);
            checkSingle(SipHeaders.MAX_FORWARDS);
            checkSingle(SipHeaders.CONTENT_TYPE);
        } catch (SipParseException e) {
            if (this instanceof SipRequest r) {
                throw new SipParseException(e.reason(), e.offset(), 400, r);
            }
            throw e;
        }
    }

    private void checkSingle(int id) {
        int n = 0;
        for (int i = 0; i < hcount; i++) {
            if (hid[i] == id && ++n > 1) {
                throw SipValueParser.error("more than one " + SipHeaders.canonicalName(id) + " header");
            }
        }
    }

    // ---------------------------------------------------------------- body

    /** Body length in bytes (Content-Length bytes on UDP; trailing datagram bytes are not body). */
    public int bodyLength() {
        return body != null ? body.length : bodyLength;
    }

    /** A copy of the body. */
    public byte[] body() {
        if (body != null) {
            return body.clone();
        }
        byte[] out = new byte[bodyLength];
        System.arraycopy(buf, bodyStart, out, 0, bodyLength);
        return out;
    }

    /** The body decoded as UTF-8 (SDP is ASCII/UTF-8). */
    public String bodyAsString() {
        return body != null ? new String(body, StandardCharsets.UTF_8)
                : new String(buf, bodyStart, bodyLength, StandardCharsets.UTF_8);
    }

    /**
     * Replaces the body, sets Content-Length to its size and Content-Type to {@code contentType}
     * (removed when the body is empty and {@code contentType} is null).
     */
    public void setBody(String contentType, byte[] newBody) {
        this.body = newBody.clone();
        setHeader("Content-Length", Integer.toString(newBody.length));
        if (contentType != null) {
            setHeader("Content-Type", contentType);
        } else if (newBody.length == 0) {
            removeHeader("Content-Type");
        }
    }

    /** Removes the body: Content-Length 0, no Content-Type. */
    public void removeBody() {
        setBody(null, new byte[0]);
    }

    // ---------------------------------------------------------------- edits

    /** Pushes a Via value on top (RFC 3261 16.6 step 8); {@code viaValue} e.g. {@code SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK...}. */
    public void pushVia(String viaValue) {
        int first = indexOf(SipHeaders.VIA);
        insertHeader(first < 0 ? 0 : first, "Via", viaValue, SipHeaders.VIA);
    }

    /**
     * Removes the topmost Via value (RFC 3261 16.7 step 3). When the first Via line holds several
     * comma-separated values only the first is removed and the rest of that line is kept.
     * Returns false when there was no Via.
     */
    public boolean popVia() {
        return removeFirstValue(SipHeaders.VIA);
    }

    /**
     * Stamps the topmost Via with the address the request came from (RFC 3261 18.2.1, RFC 3581):
     * adds {@code received} when the sent-by host differs from {@code sourceAddress} or when
     * {@code rport} is present, and fills a value-less {@code rport} with {@code sourcePort}. Other
     * Via values and the rest of the line stay as they were. Throws {@link SipParseException} when
     * the top Via is malformed.
     */
    public void setTopViaReceived(String sourceAddress, int sourcePort) {
        int i = indexOf(SipHeaders.VIA);
        if (i < 0) {
            return;
        }
        Via top = Via.parse(topViaValue());
        String host = top.host();
        boolean hostDiffers = !(host.equals(sourceAddress) || host.equals("[" + sourceAddress + "]"));
        if (!hostDiffers && !top.hasRport()) {
            return;
        }
        String v = topViaValue();
        v = RECEIVED.matcher(v).replaceAll("");
        if (top.hasRport()) {
            v = RPORT.matcher(v).replaceFirst(";rport=" + sourcePort);
        }
        v = v + ";received=" + sourceAddress;
        byte[] s = src(i);
        int vs = hdr[i * STRIDE + VALUE_START];
        int ve = hdr[i * STRIDE + VALUE_END];
        int comma = SipText.topLevelComma(s, vs, ve);
        String rest = comma < 0 ? "" : new String(s, comma, ve - comma, StandardCharsets.UTF_8);
        int ls = hdr[i * STRIDE + LINE_START];
        String name = new String(s, ls, hdr[i * STRIDE + NAME_END] - ls, StandardCharsets.UTF_8);
        replaceLine(i, lineBytes(name, v + rest), SipHeaders.VIA);
    }

    private static final java.util.regex.Pattern RECEIVED =
            java.util.regex.Pattern.compile("\\s*;\\s*received\\s*=\\s*[^;,\\s]+", java.util.regex.Pattern.CASE_INSENSITIVE);
    private static final java.util.regex.Pattern RPORT =
            java.util.regex.Pattern.compile("\\s*;\\s*rport(\\s*=\\s*[0-9]*)?(?=\\s*(;|$))",
                    java.util.regex.Pattern.CASE_INSENSITIVE);

    /** Adds a Record-Route value on top (above existing Record-Route lines, else after the Vias). */
    public void addRecordRoute(String value) {
        int first = indexOf(SipHeaders.RECORD_ROUTE);
        if (first < 0) {
            first = lastIndexOf(SipHeaders.VIA) + 1;
        }
        insertHeader(first, "Record-Route", value, SipHeaders.RECORD_ROUTE);
    }

    /** Prepends a Route value (above existing Route lines, else after the Vias). */
    public void prependRoute(String value) {
        int first = indexOf(SipHeaders.ROUTE);
        if (first < 0) {
            first = lastIndexOf(SipHeaders.VIA) + 1;
        }
        insertHeader(first, "Route", value, SipHeaders.ROUTE);
    }

    /** Removes the topmost Route value (RFC 3261 16.4 loose routing). Returns false when none. */
    public boolean removeTopRoute() {
        return removeFirstValue(SipHeaders.ROUTE);
    }

    /**
     * Sets a header: the first line with this name gets the new value, further lines with the
     * name are removed; appended after the last header when absent.
     */
    public void setHeader(String name, String value) {
        int id = SipHeaders.id(name);
        byte[] lower = name.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8);
        int first = -1;
        for (int i = 0; i < hcount; i++) {
            if (matches(i, id, lower)) {
                if (first < 0) {
                    first = i;
                } else {
                    deleteHeader(i--);
                }
            }
        }
        if (first < 0) {
            insertHeader(hcount, name, value, id);
        } else {
            replaceLine(first, lineBytes(name, value), id);
        }
    }

    /** Appends a header line after the last header. */
    public void addHeader(String name, String value) {
        insertHeader(hcount, name, value, SipHeaders.id(name));
    }

    /** Removes every line with this name. Returns the number of lines removed. */
    public int removeHeader(String name) {
        int id = SipHeaders.id(name);
        byte[] lower = name.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8);
        int n = 0;
        for (int i = 0; i < hcount; i++) {
            if (matches(i, id, lower)) {
                deleteHeader(i--);
                n++;
            }
        }
        return n;
    }

    /**
     * Decrements Max-Forwards (RFC 3261 16.6 step 3) and returns the new value; when absent,
     * adds {@code Max-Forwards: 69}. The caller answers 483 itself when {@link #maxForwards()} is 0.
     */
    public int decrementMaxForwards() {
        int mf = maxForwards();
        int next = (mf < 0 ? SipLimits.DEFAULT_MAX_FORWARDS : mf) - 1;
        if (next < 0) {
            next = 0;
        }
        int i = indexOf(SipHeaders.MAX_FORWARDS);
        if (i < 0) {
            insertHeader(hcount, "Max-Forwards", Integer.toString(next), SipHeaders.MAX_FORWARDS);
        } else {
            byte[] s = src(i);
            String name = new String(s, hdr[i * STRIDE + LINE_START],
                    hdr[i * STRIDE + NAME_END] - hdr[i * STRIDE + LINE_START], StandardCharsets.UTF_8);
            replaceLine(i, lineBytes(name, Integer.toString(next)), SipHeaders.MAX_FORWARDS);
        }
        return next;
    }

    private boolean removeFirstValue(int id) {
        int i = indexOf(id);
        if (i < 0) {
            return false;
        }
        byte[] s = src(i);
        int vs = hdr[i * STRIDE + VALUE_START];
        int ve = hdr[i * STRIDE + VALUE_END];
        int comma = SipText.topLevelComma(s, vs, ve);
        if (comma < 0) {
            deleteHeader(i);
            return true;
        }
        int rest = comma + 1;
        while (rest < ve && SipText.isLws(s[rest])) {
            rest++;
        }
        int ls = hdr[i * STRIDE + LINE_START];
        int ne = hdr[i * STRIDE + NAME_END];
        // Keep the name as written and the rest of the values byte for byte (folding included).
        byte[] line = new byte[(ne - ls) + 2 + (ve - rest) + 2];
        int n = 0;
        System.arraycopy(s, ls, line, n, ne - ls);
        n += ne - ls;
        line[n++] = ':';
        line[n++] = ' ';
        System.arraycopy(s, rest, line, n, ve - rest);
        n += ve - rest;
        line[n++] = '\r';
        line[n] = '\n';
        replaceLine(i, line, id);
        return true;
    }

    void insertHeader(int at, String name, String value, int id) {
        // No MAX_HEADERS check: the limit guards parsing of received input; our own edits add a
        // bounded number of lines and must not fail on a message that arrived at the limit.
        checkHeaderText(name, value);
        ensureCapacity(hcount + 1);
        ensureSrc();
        System.arraycopy(hdr, at * STRIDE, hdr, (at + 1) * STRIDE, (hcount - at) * STRIDE);
        System.arraycopy(hid, at, hid, at + 1, hcount - at);
        System.arraycopy(hsrc, at, hsrc, at + 1, hcount - at);
        hcount++;
        replaceLine(at, lineBytes(name, value), id);
    }

    void deleteHeader(int at) {
        ensureSrc();
        System.arraycopy(hdr, (at + 1) * STRIDE, hdr, at * STRIDE, (hcount - at - 1) * STRIDE);
        System.arraycopy(hid, at + 1, hid, at, hcount - at - 1);
        System.arraycopy(hsrc, at + 1, hsrc, at, hcount - at - 1);
        hcount--;
        hsrc[hcount] = null;
    }

    /** Replaces header line {@code i} by {@code line} ("Name: value\r\n"). */
    private void replaceLine(int i, byte[] line, int id) {
        ensureSrc();
        int colon = 0;
        while (line[colon] != ':') {
            colon++;
        }
        int vs = colon + 1;
        while (vs < line.length - 2 && (line[vs] == ' ' || line[vs] == '\t')) {
            vs++;
        }
        int o = i * STRIDE;
        hdr[o + LINE_START] = 0;
        hdr[o + NAME_END] = colon;
        hdr[o + VALUE_START] = vs;
        hdr[o + VALUE_END] = line.length - 2;
        hdr[o + LINE_END] = line.length;
        hid[i] = (byte) id;
        hsrc[i] = line;
    }

    static byte[] lineBytes(String name, String value) {
        return (name + ": " + value + "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    static void checkHeaderText(String name, String value) {
        if (!SipText.isToken(name)) {
            throw new IllegalArgumentException("header name is not a token: " + name);
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n' || c == 0) {
                throw new IllegalArgumentException("CR, LF or NUL in header value of " + name);
            }
        }
    }

    private void ensureSrc() {
        if (hsrc == null) {
            hsrc = new byte[hid.length][];
        }
    }

    private void ensureCapacity(int n) {
        if (n > hid.length) {
            int cap = Math.max(n, hid.length * 2);
            hdr = java.util.Arrays.copyOf(hdr, cap * STRIDE);
            hid = java.util.Arrays.copyOf(hid, cap);
            if (hsrc != null) {
                hsrc = java.util.Arrays.copyOf(hsrc, cap);
            }
        }
    }

    /** Appends a header parsed from {@link #buf}; used by the parser only. */
    final void indexHeader(int lineStart, int nameEnd, int valueStart, int valueEnd, int lineEnd, int id) {
        ensureCapacity(hcount + 1);
        int o = hcount * STRIDE;
        hdr[o + LINE_START] = lineStart;
        hdr[o + NAME_END] = nameEnd;
        hdr[o + VALUE_START] = valueStart;
        hdr[o + VALUE_END] = valueEnd;
        hdr[o + LINE_END] = lineEnd;
        hid[hcount] = (byte) id;
        hcount++;
    }

    final byte[] src(int i) {
        byte[] s;
        return hsrc == null || (s = hsrc[i]) == null ? buf : s;
    }

    final int indexOf(int id) {
        for (int i = 0; i < hcount; i++) {
            if (hid[i] == id) {
                return i;
            }
        }
        return -1;
    }

    private int lastIndexOf(int id) {
        for (int i = hcount - 1; i >= 0; i--) {
            if (hid[i] == id) {
                return i;
            }
        }
        return -1;
    }

    final int indexOf(String name) {
        int id = SipHeaders.id(name);
        if (id != SipHeaders.OTHER) {
            return indexOf(id);
        }
        byte[] lower = name.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < hcount; i++) {
            if (matches(i, id, lower)) {
                return i;
            }
        }
        return -1;
    }

    private boolean matches(int i, int id, byte[] lower) {
        if (id != SipHeaders.OTHER) {
            return hid[i] == id;
        }
        return hid[i] == SipHeaders.OTHER
                && SipText.regionEqualsIgnoreCase(src(i), hdr[i * STRIDE + LINE_START], hdr[i * STRIDE + NAME_END],
                        lower);
    }

    final long digits(int i) {
        byte[] s = src(i);
        int p = hdr[i * STRIDE + VALUE_START];
        int end = hdr[i * STRIDE + VALUE_END];
        long n = 0;
        while (p < end && SipText.isDigit(s[p])) {
            n = n * 10 + (s[p++] - '0');
        }
        return n;
    }

    // ---------------------------------------------------------------- serialisation

    /** Bytes {@link #writeTo(ByteBuf)} will write. */
    public int encodedLength() {
        int n = startLine != null ? startLine.length : startLineNext - base;
        for (int i = 0; i < hcount; i++) {
            n += hdr[i * STRIDE + LINE_END] - hdr[i * STRIDE + LINE_START];
        }
        return n + (bodyStart - blankStart) + bodyLength();
    }

    /** Writes the message: untouched lines byte-exact, edited lines as set, then the body. */
    public void writeTo(ByteBuf out) {
        if (startLine != null) {
            out.writeBytes(startLine);
        } else {
            out.writeBytes(buf, base, startLineNext - base);
        }
        for (int i = 0; i < hcount; i++) {
            int ls = hdr[i * STRIDE + LINE_START];
            out.writeBytes(src(i), ls, hdr[i * STRIDE + LINE_END] - ls);
        }
        out.writeBytes(buf, blankStart, bodyStart - blankStart);
        if (body != null) {
            out.writeBytes(body);
        } else {
            out.writeBytes(buf, bodyStart, bodyLength);
        }
    }

    /** A new buffer from {@code alloc} holding the message; the caller owns (and releases) it. */
    public ByteBuf toByteBuf(ByteBufAllocator alloc) {
        ByteBuf out = alloc.buffer(encodedLength());
        try {
            writeTo(out);
            return out;
        } catch (RuntimeException e) {
            out.release();
            throw e;
        }
    }

    /** The message as a new byte array. */
    public byte[] toBytes() {
        byte[] out = new byte[encodedLength()];
        int n = 0;
        if (startLine != null) {
            System.arraycopy(startLine, 0, out, 0, startLine.length);
            n = startLine.length;
        } else {
            System.arraycopy(buf, base, out, 0, startLineNext - base);
            n = startLineNext - base;
        }
        for (int i = 0; i < hcount; i++) {
            int ls = hdr[i * STRIDE + LINE_START];
            int len = hdr[i * STRIDE + LINE_END] - ls;
            System.arraycopy(src(i), ls, out, n, len);
            n += len;
        }
        System.arraycopy(buf, blankStart, out, n, bodyStart - blankStart);
        n += bodyStart - blankStart;
        if (body != null) {
            System.arraycopy(body, 0, out, n, body.length);
        } else {
            System.arraycopy(buf, bodyStart, out, n, bodyLength);
        }
        return out;
    }

    @Override
    public String toString() {
        return new String(toBytes(), StandardCharsets.UTF_8);
    }

}
