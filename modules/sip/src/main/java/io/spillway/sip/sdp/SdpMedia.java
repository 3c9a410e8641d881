package io.spillway.sip.sdp;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One media section: its {@code m=} line and the lines up to the next {@code m=}. Values are read
 * from the lines on demand, so they always reflect the edits made.
 */
public final class SdpMedia {
    final List<String> lines;
    SdpSession session;
    private final int firstLineNo;

    SdpMedia(List<String> lines, int firstLineNo) {
        this.lines = lines;
        this.firstLineNo = firstLineNo;
        fields();
    }

    /** m=<media> <port>[/<count>] <proto> <fmt> ...: returns the fields, validated. */
    private String[] fields() {
        String[] f = lines.get(0).substring(2).split(" ");
        if (f.length < 3 || f[0].isEmpty() || f[2].isEmpty()) {
            throw SdpSession.error("invalid m= line", firstLineNo);
        }
        String port = f[1];
        int slash = port.indexOf('/');
        if (!isPort(slash < 0 ? port : port.substring(0, slash))
                || slash >= 0 && !isCount(port.substring(slash + 1))) {
            throw SdpSession.error("invalid m= port", firstLineNo);
        }
        return f;
    }

    private static boolean isPort(String s) {
        if (s.isEmpty() || s.length() > 5) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return Integer.parseInt(s) <= 65535;
    }

    private static boolean isCount(String s) {
        return isPort(s) && Integer.parseInt(s) > 0;
    }

    /** Media type: audio, video, application, text, message, or any token. */
    public String type() {
        return fields()[0];
    }

    /** The transport port; 0 means the stream is disabled/rejected. */
    public int port() {
        String p = fields()[1];
        int slash = p.indexOf('/');
        return Integer.parseInt(slash < 0 ? p : p.substring(0, slash));
    }

    /** The {@code /count} of {@code port/count}, 1 when absent. */
    public int portCount() {
        String p = fields()[1];
        int slash = p.indexOf('/');
        return slash < 0 ? 1 : Integer.parseInt(p.substring(slash + 1));
    }

    /** True when the port is 0. */
    public boolean isDisabled() {
        return port() == 0;
    }

    /** The proto as written, e.g. {@code RTP/AVP}. */
    public String proto() {
        return fields()[2];
    }

    /** The proto as a known profile, {@link SdpProfile#OTHER} otherwise. */
    public SdpProfile profile() {
        return SdpProfile.of(proto());
    }

    /** The format list (payload types for RTP). */
    public List<String> formats() {
        String[] f = fields();
        List<String> out = new ArrayList<>(f.length - 3);
        for (int i = 3; i < f.length; i++) {
            if (!f[i].isEmpty()) {
                out.add(f[i]);
            }
        }
        return out;
    }

    /** The media-level c=, or null. */
    public SdpConnection connection() {
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).startsWith("c=")) {
                return SdpConnection.parse(lines.get(i).substring(2), firstLineNo + i);
            }
        }
        return null;
    }

    /** The media-level c= if present, else the session-level one (may be null). */
    public SdpConnection effectiveConnection() {
        SdpConnection c = connection();
        return c != null ? c : session.connection();
    }

    /** The a=rtcp port (RFC 3605), or -1 when absent. */
    public int rtcpPort() {
        String v = attribute("rtcp");
        if (v == null) {
            return -1;
        }
        int sp = v.indexOf(' ');
        String port = sp < 0 ? v : v.substring(0, sp); // not split(): "a=rtcp: " would give no fields
        if (!isPort(port)) {
            throw SdpSession.error("invalid a=rtcp", firstLineNo);
        }
        return Integer.parseInt(port);
    }

    /** The a=rtcp address ({@code a=rtcp:port IN IP4 addr}), or null. */
    public String rtcpAddress() {
        String v = attribute("rtcp");
        if (v == null) {
            return null;
        }
        String[] f = v.split(" ");
        return f.length >= 4 ? f[3] : null;
    }

    /** True when a=rtcp-mux is present. */
    public boolean rtcpMux() {
        return indexOfAttribute("rtcp-mux") >= 0;
    }

    /** The direction in force: media-level, else session-level, else sendrecv. */
    public SdpDirection direction() {
        SdpDirection d = directionIn(lines);
        if (d == null) {
            d = session.direction();
        }
        return d == null ? SdpDirection.SENDRECV : d;
    }

    /** a=rtpmap values by payload type, e.g. {@code 0 -> PCMU/8000}. */
    public Map<Integer, String> rtpmaps() {
        Map<Integer, String> out = new LinkedHashMap<>();
        for (String l : lines) {
            if (l.startsWith("a=rtpmap:")) {
                int sp = l.indexOf(' ');
                try {
                    out.put(Integer.parseInt(l.substring(9, sp < 0 ? l.length() : sp)), sp < 0 ? "" : l.substring(sp + 1));
                } catch (NumberFormatException e) {
                    throw SdpSession.error("invalid a=rtpmap", firstLineNo);
                }
            }
        }
        return out;
    }

    /** The value of the first {@code a=name:value} (or "" for {@code a=name}), or null. */
    public String attribute(String name) {
        int i = indexOfAttribute(name);
        if (i < 0) {
            return null;
        }
        String l = lines.get(i);
        return l.length() == 2 + name.length() ? "" : l.substring(3 + name.length());
    }

    /** All lines of this section as written (m= first), without line ends. */
    public List<String> lines() {
        return Collections.unmodifiableList(lines);
    }

    // ------------------------------------------------------------------ rewrite

    /** Replaces the port, keeping {@code /count}, proto and formats. */
    public void setPort(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        String[] f = fields();
        int slash = f[1].indexOf('/');
        String rest = lines.get(0).substring(2 + f[0].length() + 1 + f[1].length());
        lines.set(0, "m=" + f[0] + " " + port + (slash < 0 ? "" : f[1].substring(slash)) + rest);
    }

    /** Replaces this section's c= (adding one after m=/i= when absent) with {@code address}. */
    public void setConnectionAddress(String address) {
        SdpSession.checkToken(address);
        String c = SdpConnection.line(address);
        if (!replaceConnection(c)) {
            int at = 1;
            while (at < lines.size() && lines.get(at).startsWith("i=")) {
                at++;
            }
            lines.add(at, c);
        }
    }

    boolean replaceConnection(String c) {
        boolean found = false;
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).startsWith("c=")) {
                lines.set(i, c);
                found = true;
            }
        }
        return found;
    }

    /** Sets a=rtcp to {@code port} (and {@code address} when not null), replacing or adding it. */
    public void setRtcp(int port, String address) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        String line = "a=rtcp:" + port;
        if (address != null) {
            SdpSession.checkToken(address);
            line += " IN " + SdpConnection.addrType(address) + " " + address;
        }
        setAttributeLine("rtcp", line);
    }

    /** Removes a=rtcp. */
    public void removeRtcp() {
        int i;
        while ((i = indexOfAttribute("rtcp")) >= 0) {
            lines.remove(i);
        }
    }

    /** Adds or removes a=rtcp-mux. */
    public void setRtcpMux(boolean mux) {
        if (mux && !rtcpMux()) {
            lines.add("a=rtcp-mux");
        } else if (!mux) {
            int i;
            while ((i = indexOfAttribute("rtcp-mux")) >= 0) {
                lines.remove(i);
            }
        }
    }

    /** Sets the media-level direction attribute (replacing any there). */
    public void setDirection(SdpDirection d) {
        for (int i = 1; i < lines.size(); i++) {
            String l = lines.get(i);
            if (l.startsWith("a=") && SdpDirection.ofAttribute(l.substring(2)) != null) {
                lines.set(i, "a=" + d.attribute());
                return;
            }
        }
        lines.add("a=" + d.attribute());
    }

    /**
     * Removes every attribute line of this section named one of {@code names}: both the property
     * form {@code a=<name>} and the value form {@code a=<name>:<value>} (RFC 8866 5.13; names match
     * exactly, as {@link #attribute} does). Every other line stays as written, in its order.
     *
     * @return the number of lines removed
     */
    public int removeAttributes(Collection<String> names) {
        return removeAttributeLines(lines, 1, names);
    }

    /** Removes from {@code lines[from..]} the attribute lines named one of {@code names}; returns how many. */
    static int removeAttributeLines(List<String> lines, int from, Collection<String> names) {
        for (String name : names) {
            SdpSession.checkToken(name);
            if (name.indexOf(':') >= 0) {
                throw new IllegalArgumentException("':' in an SDP attribute name: " + name);
            }
        }
        int removed = 0;
        for (int i = lines.size() - 1; i >= from; i--) {
            String l = lines.get(i);
            if (l.startsWith("a=")) {
                int colon = l.indexOf(':', 2);
                if (names.contains(colon < 0 ? l.substring(2) : l.substring(2, colon))) {
                    lines.remove(i);
                    removed++;
                }
            }
        }
        return removed;
    }

    private void setAttributeLine(String name, String line) {
        int i = indexOfAttribute(name);
        if (i >= 0) {
            lines.set(i, line);
        } else {
            lines.add(line);
        }
    }

    private int indexOfAttribute(String name) {
        for (int i = 1; i < lines.size(); i++) {
            String l = lines.get(i);
            if (l.startsWith("a=") && l.startsWith(name, 2)
                    && (l.length() == 2 + name.length() || l.charAt(2 + name.length()) == ':')) {
                return i;
            }
        }
        return -1;
    }

    static SdpDirection directionIn(List<String> lines) {
        for (String l : lines) {
            if (l.startsWith("a=")) {
                SdpDirection d = SdpDirection.ofAttribute(l.substring(2));
                if (d != null) {
                    return d;
                }
            }
        }
        return null;
    }
}
