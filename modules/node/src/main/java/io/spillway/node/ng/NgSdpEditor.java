package io.spillway.node.ng;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads the media description of an SDP body (RFC 8866) and rewrites it to point at the relay:
 * every {@code m=} port, every {@code c=} line (session and media level), {@code a=rtcp}, and
 * optionally the {@code o=} address. Line-based; every line it does not understand is kept as is,
 * except ICE lines (candidates would let the parties bypass the relay). The line ending of the input
 * (CRLF or LF) is kept. No I/O; immutable and thread-safe.
 */
public final class NgSdpEditor {
    /** Upper bound of {@code m=} sections in one body. */
    public static final int MAX_MEDIA = 16;

    private final String body;
    private final String eol;
    private final List<String> lines;
    private final List<NgSdpMedia> media;

    private NgSdpEditor(String body, String eol, List<String> lines, List<NgSdpMedia> media) {
        this.body = body;
        this.eol = eol;
        this.lines = lines;
        this.media = media;
    }

    /**
     * Parses {@code body} (one char per byte).
     *
     * @throws NgSdpException when it has no {@code v=} line, no usable {@code m=} line, a stream with
     *     no connection address, or a malformed port or address
     */
    public static NgSdpEditor parse(String body) throws NgSdpException {
        String eol = body.contains("\r\n") ? "\r\n" : "\n";
        List<String> lines = new ArrayList<>();
        for (String line : body.split("\r?\n", -1)) {
            if (!line.isEmpty()) {
                lines.add(line);
            }
        }
        if (lines.isEmpty() || !lines.get(0).startsWith("v=")) {
            throw new NgSdpException("SDP does not start with v=");
        }
        String sessionAddress = null;
        List<NgSdpMedia> media = new ArrayList<>();
        int i = 0;
        while (i < lines.size() && !lines.get(i).startsWith("m=")) {
            if (lines.get(i).startsWith("c=")) {
                sessionAddress = expectConnectionAddress(lines.get(i));
            }
            i++;
        }
        while (i < lines.size()) {
            String mLine = lines.get(i++);
            String address = sessionAddress;
            String rtcpAttr = null;
            boolean mux = false;
            for (; i < lines.size() && !lines.get(i).startsWith("m="); i++) {
                String line = lines.get(i);
                if (line.startsWith("c=")) {
                    address = expectConnectionAddress(line);
                } else if (line.startsWith("a=rtcp:")) {
                    rtcpAttr = line.substring("a=rtcp:".length());
                } else if (line.equals("a=rtcp-mux")) {
                    mux = true;
                }
            }
            if (media.size() == MAX_MEDIA) {
                throw new NgSdpException("more than " + MAX_MEDIA + " m= lines");
            }
            media.add(expectMedia(media.size(), mLine, address, rtcpAttr, mux));
        }
        if (media.isEmpty()) {
            throw new NgSdpException("SDP has no m= line");
        }
        return new NgSdpEditor(body, eol, List.copyOf(lines), List.copyOf(media));
    }

    /** The {@code m=} sections, in order. */
    public List<NgSdpMedia> media() {
        return media;
    }

    /** The body as parsed. */
    public String body() {
        return body;
    }

    /**
     * Renders the body with the relay's address and ports.
     *
     * @param address the address to advertise, or null to keep every address (all streams disabled)
     * @param rtpPorts local RTP port per section (index as in {@link #media()}); ignored for disabled ones
     * @param rtcpPorts local RTCP port per section
     * @param rtcpMux whether each section offers or accepts {@code a=rtcp-mux} in the output
     * @param replaceOrigin also rewrite the {@code o=} line's address
     */
    public String rewrite(InetAddress address, int[] rtpPorts, int[] rtcpPorts, boolean[] rtcpMux,
                          boolean replaceOrigin) {
        if (address == null) {
            return body;
        }
        String addrType = address.getAddress().length == 4 ? "IP4" : "IP6";
        String host = address.getHostAddress();
        int scope = host.indexOf('%');
        if (scope >= 0) {
            host = host.substring(0, scope);
        }
        StringBuilder out = new StringBuilder(body.length() + 64);
        int section = -1;
        for (String line : lines) {
            if (line.startsWith("m=")) {
                section++;
                NgSdpMedia m = media.get(section);
                String[] f = line.substring(2).split(" ", 3);
                out.append("m=").append(f[0]).append(' ')
                    .append(m.disabled() ? 0 : rtpPorts[section]).append(' ').append(f[2]).append(eol);
                if (!m.disabled()) {
                    // Media-level c= first (RFC 8866 order: c= precedes a=); any original is replaced.
                    out.append("c=IN ").append(addrType).append(' ').append(host).append(eol);
                    // With mux offered, a=rtcp still names the separate port: the fallback for a
                    // party that does not do rtcp-mux (RFC 5761 section 5.1.3).
                    out.append("a=rtcp:").append(rtcpPorts[section]).append(eol);
                    if (rtcpMux[section]) {
                        out.append("a=rtcp-mux").append(eol);
                    }
                }
                continue;
            }
            boolean inMedia = section >= 0;
            if (line.startsWith("c=")) {
                if (!inMedia) {
                    out.append("c=IN ").append(addrType).append(' ').append(host).append(eol);
                } else if (media.get(section).disabled()) {
                    out.append(line).append(eol);
                }
                continue;
            }
            if (inMedia && (line.startsWith("a=rtcp:") || line.equals("a=rtcp-mux"))) {
                if (media.get(section).disabled()) {
                    out.append(line).append(eol);
                }
                continue;
            }
            if (isIceLine(line)) {
                continue;
            }
            if (replaceOrigin && line.startsWith("o=")) {
                String[] f = line.substring(2).split(" ");
                if (f.length == 6) {
                    out.append("o=").append(f[0]).append(' ').append(f[1]).append(' ').append(f[2])
                        .append(" IN ").append(addrType).append(' ').append(host).append(eol);
                    continue;
                }
            }
            out.append(line).append(eol);
        }
        return out.toString();
    }

    private static boolean isIceLine(String line) {
        return line.startsWith("a=candidate:") || line.startsWith("a=ice-") || line.equals("a=end-of-candidates")
            || line.startsWith("a=remote-candidates:");
    }

    /** {@code media-field = %s"m" "=" media SP port ["/" integer] SP proto 1*(SP fmt)}. */
    private static NgSdpMedia expectMedia(int index, String mLine, String address, String rtcpAttr, boolean mux)
        throws NgSdpException {
        String[] f = mLine.substring(2).split(" ");
        if (f.length < 4) {
            throw new NgSdpException("malformed m= line: " + mLine);
        }
        String portText = f[1];
        int slash = portText.indexOf('/');
        if (slash >= 0) {
            portText = portText.substring(0, slash);
        }
        int port = expectPort(portText, mLine);
        if (port == 0) {
            InetSocketAddress none = InetSocketAddress.createUnresolved("0.0.0.0", 0);
            return new NgSdpMedia(index, f[0], 0, f[2], none, none, mux);
        }
        if (address == null) {
            throw new NgSdpException("m= line " + index + " has no c= address");
        }
        InetAddress ip = expectAddress(address);
        int rtcpPort = mux ? port : port + 1;
        InetAddress rtcpIp = ip;
        if (rtcpAttr != null) {
            // rtcp-attribute = "a=rtcp:" port [nettype SP addrtype SP connection-address] (RFC 3605)
            String[] r = rtcpAttr.trim().split(" ");
            rtcpPort = expectPort(r[0], "a=rtcp:" + rtcpAttr);
            if (r.length == 4) {
                rtcpIp = expectAddress(r[3]);
            }
        }
        return new NgSdpMedia(index, f[0], port, f[2], new InetSocketAddress(ip, port),
            new InetSocketAddress(rtcpIp, rtcpPort), mux);
    }

    /** {@code connection-field = %s"c" "=" nettype SP addrtype SP connection-address}. */
    private static String expectConnectionAddress(String line) throws NgSdpException {
        String[] f = line.substring(2).trim().split(" ");
        if (f.length != 3 || !f[0].equals("IN")) {
            throw new NgSdpException("malformed c= line: " + line);
        }
        String type = f[1].toUpperCase(Locale.ROOT);
        if (!type.equals("IP4") && !type.equals("IP6")) {
            throw new NgSdpException("unsupported address type in: " + line);
        }
        String address = f[2];
        int slash = address.indexOf('/');
        return slash >= 0 ? address.substring(0, slash) : address;
    }

    private static InetAddress expectAddress(String literal) throws NgSdpException {
        // Only IP literals: a hostname would need DNS on the control thread.
        boolean v4 = literal.chars().allMatch(ch -> ch == '.' || (ch >= '0' && ch <= '9'));
        boolean v6 = literal.indexOf(':') >= 0 && literal.chars().allMatch(ch -> ch == ':' || ch == '.'
            || Character.digit(ch, 16) >= 0);
        if (!v4 && !v6) {
            throw new NgSdpException("not an IP address literal: " + literal);
        }
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new NgSdpException("bad IP address literal: " + literal);
        }
    }

    private static int expectPort(String text, String line) throws NgSdpException {
        if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
            throw new NgSdpException("bad port in: " + line);
        }
        int port = Integer.parseInt(text);
        if (port > 65_535) {
            throw new NgSdpException("port out of range in: " + line);
        }
        return port;
    }
}
