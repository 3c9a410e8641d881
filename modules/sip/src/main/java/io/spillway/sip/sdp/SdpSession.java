package io.spillway.sip.sdp;

import io.spillway.sip.SipParseException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/**
 * A session description (RFC 8866): the session-level lines and one {@link SdpMedia} per
 * {@code m=} line, held as text lines so that a rewrite changes only the lines it targets. Accepts
 * CRLF or LF line ends (and drops empty lines); {@link #toBytes()} writes CRLF.
 *
 * <p>Typical relay use: {@code s.setConnectionAddress(relayIp, true)}, then per stream
 * {@code media.setPort(relayPort)} and {@code media.setRtcp(relayPort + 1, null)}.
 */
public final class SdpSession {
    /** Largest SDP body accepted. */
    public static final int MAX_SDP_BYTES = 65_535;
    /** Largest number of lines accepted. */
    public static final int MAX_LINES = 1_024;
    /** Largest number of m= lines accepted. */
    public static final int MAX_MEDIA = 64;

    final List<String> lines;
    private final List<SdpMedia> media;

    private SdpSession(List<String> lines, List<SdpMedia> media) {
        this.lines = lines;
        this.media = media;
    }

    static SipParseException error(String reason, int lineNo) {
        return new SipParseException("SDP: " + reason + " (line " + lineNo + ")", -1);
    }

    /** Parses a UTF-8 SDP body. */
    public static SdpSession parse(byte[] body) {
        return parse(body, 0, body.length);
    }

    /** Parses {@code body[offset, offset+length)}. */
    public static SdpSession parse(byte[] body, int offset, int length) {
        if (length > MAX_SDP_BYTES) {
            throw new SipParseException("SDP: body too large", -1);
        }
        List<String> session = new ArrayList<>(12);
        List<SdpMedia> media = new ArrayList<>(2);
        List<String> current = session;
        int end = offset + length;
        int p = offset;
        int lineNo = 0;
        while (p < end) {
            int lf = p;
            while (lf < end && body[lf] != '\n') {
                lf++;
            }
            int le = lf > p && body[lf - 1] == '\r' ? lf - 1 : lf;
            lineNo++;
            if (lineNo > MAX_LINES) {
                throw error("too many lines", lineNo);
            }
            if (le > p) {
                String line = decode(body, p, le, lineNo);
                if (line.length() < 2 || line.charAt(1) != '=' || line.charAt(0) < 'a' || line.charAt(0) > 'z') {
                    throw error("line is not <type>=<value>", lineNo);
                }
                if (session.isEmpty() && !line.equals("v=0")) {
                    throw error("first line is not v=0", lineNo);
                }
                if (line.charAt(0) == 'm') {
                    if (media.size() >= MAX_MEDIA) {
                        throw error("too many m= lines", lineNo);
                    }
                    current = new ArrayList<>(8);
                    current.add(line);
                    media.add(new SdpMedia(current, lineNo));
                } else {
                    current.add(line);
                }
            }
            p = lf + 1;
        }
        if (session.isEmpty()) {
            throw error("empty", 0);
        }
        SdpSession s = new SdpSession(session, Collections.unmodifiableList(media));
        for (SdpMedia m : media) {
            m.session = s;
        }
        s.connection();
        s.origin(1);
        for (SdpMedia m : media) {
            m.connection();
            m.rtcpPort();
        }
        return s;
    }

    /** Parses SDP text (encoded as UTF-8). */
    public static SdpSession parse(String text) {
        return parse(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(byte[] b, int start, int end, int lineNo) {
        for (int i = start; i < end; i++) {
            byte c = b[i];
            if (c == 0 || c == '\r') {
                throw error("NUL or CR inside a line", lineNo);
            }
        }
        // ISO-8859-1 maps each byte to one char, so toBytes() restores every untouched line
        // byte for byte whatever its encoding (SDP text is UTF-8, addresses and ports ASCII).
        return new String(b, start, end - start, StandardCharsets.ISO_8859_1);
    }

    /** The media sections in order. */
    public List<SdpMedia> media() {
        return media;
    }

    /** The session-level {@code c=}, or null. */
    public SdpConnection connection() {
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            if (l.startsWith("c=")) {
                return SdpConnection.parse(l.substring(2), i + 1);
            }
        }
        return null;
    }

    /** The address of the {@code o=} line (its sixth field), or null when there is no o= line. */
    public String originAddress() {
        String[] f = origin(1);
        return f == null ? null : f[5];
    }

    private String[] origin(int lineNo) {
        for (String l : lines) {
            if (l.startsWith("o=")) {
                String[] f = l.substring(2).split(" ");
                if (f.length != 6) {
                    throw error("invalid o= line", lineNo);
                }
                return f;
            }
        }
        return null;
    }

    /** The session-level direction attribute, or null when absent (then sendrecv applies). */
    public SdpDirection direction() {
        return SdpMedia.directionIn(lines);
    }

    /** All session-level lines as written (without line ends). */
    public List<String> sessionLines() {
        return Collections.unmodifiableList(lines);
    }

    /**
     * Points the session at {@code address} (IPv4 or IPv6, detected by ':'): replaces the
     * session-level c= and every media-level c=; adds a session-level c= when neither exists for
     * some stream. With {@code alsoOrigin} the o= address is replaced too.
     */
    public void setConnectionAddress(String address, boolean alsoOrigin) {
        checkToken(address);
        String c = SdpConnection.line(address);
        boolean sessionLevel = false;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("c=")) {
                lines.set(i, c);
                sessionLevel = true;
            }
        }
        boolean everyMediaHasC = true;
        for (SdpMedia m : media) {
            if (!m.replaceConnection(c)) {
                everyMediaHasC = false;
            }
        }
        if (!sessionLevel && !everyMediaHasC) {
            insertSessionLine(c);
        }
        if (alsoOrigin) {
            setOriginAddress(address);
        }
    }

    /** Replaces the address (and its type) in the o= line. */
    public void setOriginAddress(String address) {
        checkToken(address);
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            if (l.startsWith("o=")) {
                String[] f = l.substring(2).split(" ");
                if (f.length != 6) {
                    throw error("invalid o= line", i + 1);
                }
                lines.set(i, "o=" + f[0] + " " + f[1] + " " + f[2] + " " + f[3] + " "
                        + SdpConnection.addrType(address) + " " + address);
                return;
            }
        }
    }

    /**
     * Removes every session-level attribute line named one of {@code names} ({@code a=<name>} and
     * {@code a=<name>:<value>}); the media sections are not touched (see
     * {@link SdpMedia#removeAttributes}). Every other line stays as written, in its order.
     *
     * @return the number of lines removed
     */
    public int removeAttributes(Collection<String> names) {
        return SdpMedia.removeAttributeLines(lines, 0, names);
    }

    /**
     * The {@code <sess-version>} of the o= line (its third field) as written, or null when there is
     * no o= line. RFC 8866 5.2: a numeric string that goes up with each modification.
     */
    public String originVersion() {
        String[] f = origin(1);
        return f == null ? null : f[2];
    }

    /** Replaces the {@code <sess-version>} of the o= line (a string of digits); no-op without o=. */
    public void setOriginVersion(String version) {
        if (version.isEmpty() || version.length() > 20 || !version.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("sess-version must be 1-20 digits: " + version);
        }
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            if (l.startsWith("o=")) {
                String[] f = l.substring(2).split(" ");
                if (f.length != 6) {
                    throw error("invalid o= line", i + 1);
                }
                lines.set(i, "o=" + f[0] + " " + f[1] + " " + version + " " + f[3] + " " + f[4] + " " + f[5]);
                return;
            }
        }
    }

    /** Sets the session-level direction attribute (replacing one that is there). */
    public void setDirection(SdpDirection d) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("a=") && SdpDirection.ofAttribute(lines.get(i).substring(2)) != null) {
                lines.set(i, "a=" + d.attribute());
                return;
            }
        }
        lines.add("a=" + d.attribute());
    }

    /** Inserts a c= line at its RFC 8866 place in the session section. */
    private void insertSessionLine(String line) {
        // RFC 8866 order: v o s i u e p c b t r z k a; a c= goes before the first b/t/r/z/k/a line.
        for (int i = 0; i < lines.size(); i++) {
            char t = lines.get(i).charAt(0);
            if ("btrzka".indexOf(t) >= 0) {
                lines.add(i, line);
                return;
            }
        }
        lines.add(line);
    }

    static void checkToken(String s) {
        if (s.isEmpty()) {
            throw new IllegalArgumentException("empty SDP value");
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= ' ' || c == 0x7f) {
                throw new IllegalArgumentException("white space or control character in SDP value: " + s);
            }
        }
    }

    /** The description with CRLF line ends; untouched lines are byte-exact. */
    public byte[] toBytes() {
        return toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The description with CRLF line ends, one char per byte (ISO-8859-1); see {@link #toBytes()}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(512);
        for (String l : lines) {
            sb.append(l).append("\r\n");
        }
        for (SdpMedia m : media) {
            for (String l : m.lines) {
                sb.append(l).append("\r\n");
            }
        }
        return sb.toString();
    }
}
