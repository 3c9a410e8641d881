package io.spillway.node.ng;

import io.spillway.sip.SipParseException;
import io.spillway.sip.sdp.SdpConnection;
import io.spillway.sip.sdp.SdpMedia;
import io.spillway.sip.sdp.SdpSession;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the ng port needs from an SDP body, over the SIP module's {@link SdpSession}: the parties'
 * media addresses per {@code m=} line (IP literals only: no DNS on the control thread), and the body
 * rewritten to point at the relay - every relayed {@code m=} port, every {@code c=} line (session
 * and media level), {@code a=rtcp}, {@code a=rtcp-mux} as negotiated, optionally the {@code o=}
 * address - with ICE lines removed (candidates would let the parties bypass the relay). Lines it
 * does not touch stay byte-exact; output lines end in CRLF. Immutable and thread-safe.
 */
public final class NgSdpEditor {
    /** Upper bound of {@code m=} sections in one body. */
    public static final int MAX_MEDIA = 16;

    private final String body;
    private final List<NgSdpMedia> media;

    private NgSdpEditor(String body, List<NgSdpMedia> media) {
        this.body = body;
        this.media = media;
    }

    /**
     * Parses {@code body} (one char per byte).
     *
     * @throws NgSdpException when it does not start with {@code v=}, has no {@code m=} line, a
     *     relayed stream has no connection address, or a port or address is malformed
     */
    public static NgSdpEditor parse(String body) throws NgSdpException {
        if (!body.startsWith("v=")) {
            throw new NgSdpException("SDP does not start with v=");
        }
        SdpSession session = expectSession(body);
        List<SdpMedia> sections = session.media();
        if (sections.isEmpty()) {
            throw new NgSdpException("SDP has no m= line");
        }
        if (sections.size() > MAX_MEDIA) {
            throw new NgSdpException("more than " + MAX_MEDIA + " m= lines");
        }
        List<NgSdpMedia> media = new ArrayList<>(sections.size());
        try {
            for (int i = 0; i < sections.size(); i++) {
                media.add(expectMedia(i, sections.get(i)));
            }
        } catch (SipParseException | IllegalArgumentException e) {
            throw new NgSdpException(e.getMessage());
        }
        return new NgSdpEditor(body, List.copyOf(media));
    }

    private static SdpSession expectSession(String body) throws NgSdpException {
        try {
            return SdpSession.parse(body.getBytes(StandardCharsets.ISO_8859_1));
        } catch (SipParseException | IllegalArgumentException e) {
            throw new NgSdpException(e.getMessage());
        }
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
     * @param address the address to advertise, or null to keep the body (all streams disabled)
     * @param rtpPorts local RTP port per section (index as in {@link #media()}); ignored for disabled ones
     * @param rtcpPorts local RTCP port per section (written as {@code a=rtcp}, also when muxing: it is
     *     the fallback port for a party that does not do rtcp-mux, RFC 5761 section 5.1.3)
     * @param rtcpMux whether each section carries {@code a=rtcp-mux} in the output
     * @param replaceOrigin also rewrite the {@code o=} line's address
     */
    public String rewrite(InetAddress address, int[] rtpPorts, int[] rtcpPorts, boolean[] rtcpMux,
                          boolean replaceOrigin) {
        if (address == null) {
            return body;
        }
        String host = address.getHostAddress();
        int scope = host.indexOf('%');
        if (scope >= 0) {
            host = host.substring(0, scope);
        }
        SdpSession session;
        try {
            session = expectSession(body);
        } catch (NgSdpException e) {
            throw new IllegalStateException("body parsed once already", e);
        }
        session.setConnectionAddress(host, replaceOrigin);
        List<SdpMedia> sections = session.media();
        for (int i = 0; i < sections.size(); i++) {
            if (media.get(i).disabled()) {
                continue;
            }
            SdpMedia m = sections.get(i);
            m.setPort(rtpPorts[i]);
            m.setConnectionAddress(host);
            m.setRtcp(rtcpPorts[i], null);
            m.setRtcpMux(rtcpMux[i]);
        }
        StringBuilder out = new StringBuilder(body.length() + 64);
        for (String line : session.toString().split("\r\n")) {
            if (!line.isEmpty() && !isIceLine(line)) {
                out.append(line).append("\r\n");
            }
        }
        return out.toString();
    }

    private static boolean isIceLine(String line) {
        return line.startsWith("a=candidate:") || line.startsWith("a=ice-") || line.equals("a=end-of-candidates")
            || line.startsWith("a=remote-candidates:");
    }

    private static NgSdpMedia expectMedia(int index, SdpMedia m) throws NgSdpException {
        int port = m.port();
        boolean mux = m.rtcpMux();
        if (port == 0) {
            InetSocketAddress none = InetSocketAddress.createUnresolved("0.0.0.0", 0);
            return new NgSdpMedia(index, m.type(), 0, m.proto(), none, none, mux);
        }
        SdpConnection c = m.effectiveConnection();
        if (c == null) {
            throw new NgSdpException("m= line " + index + " has no c= address");
        }
        String addrType = c.addrType().toUpperCase(Locale.ROOT);
        if (!c.netType().equals("IN") || !addrType.equals("IP4") && !addrType.equals("IP6")) {
            throw new NgSdpException("unsupported connection type '" + c.netType() + " " + c.addrType() + "'");
        }
        InetAddress ip = expectAddress(c.address());
        int rtcpPort = m.rtcpPort();
        if (rtcpPort < 0) {
            rtcpPort = mux ? port : port + 1;
        }
        InetAddress rtcpIp = m.rtcpAddress() != null ? expectAddress(m.rtcpAddress()) : ip;
        return new NgSdpMedia(index, m.type(), port, m.proto(), new InetSocketAddress(ip, port),
            new InetSocketAddress(rtcpIp, rtcpPort), mux);
    }

    private static InetAddress expectAddress(String literal) throws NgSdpException {
        // Only IP literals: a hostname would need DNS on the control thread.
        boolean v4 = !literal.isEmpty() && literal.chars().allMatch(ch -> ch == '.' || (ch >= '0' && ch <= '9'));
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
}
