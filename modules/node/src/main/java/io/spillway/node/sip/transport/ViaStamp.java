package io.spillway.node.sip.transport;

import io.netty.util.NetUtil;
import io.spillway.sip.SipParseException;
import io.spillway.sip.SipRequest;
import io.spillway.sip.Via;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * RFC 3261 18.2.1 and RFC 3581: marks the top Via of a received request with {@code received} (when
 * the sent-by host differs from the packet's source, or rport was asked for) and {@code rport}'s value.
 * And RFC 3261 18.2.2: where the response to a request goes.
 */
public final class ViaStamp {
    private ViaStamp() {
    }

    /** Stamps {@code request}'s top Via with the real source. Throws SipParseException for a bad Via. */
    public static void stamp(SipRequest request, InetSocketAddress source) {
        Via top = request.topVia();
        if (top == null) {
            return;
        }
        String ip = Hosts.ip(source.getAddress());
        boolean rport = top.hasRport();
        boolean differs = !sameHost(top.host(), ip);
        if (!rport && !differs) {
            return;
        }
        Map<String, String> params = new LinkedHashMap<>(top.params());
        // RFC 3261 20.42: received = IPv4address / IPv6address, an IPv6 address without brackets
        params.put("received", ip);
        if (rport) {
            params.put("rport", Integer.toString(source.getPort()));
        }
        Via stamped = new Via(top.protocol(), top.transport(), top.host(), top.port(), params);
        request.popVia();
        request.pushVia(stamped.toString());
    }

    private static boolean sameHost(String viaHost, String ip) {
        String h = viaHost.startsWith("[") ? viaHost.substring(1, viaHost.length() - 1) : viaHost;
        if (h.equalsIgnoreCase(ip)) {
            return true;
        }
        byte[] a = NetUtil.createByteArrayFromIpAddressString(h);
        byte[] b = NetUtil.createByteArrayFromIpAddressString(ip);
        return a != null && b != null && java.util.Arrays.equals(a, b);
    }

    /**
     * RFC 3261 18.2.2 (with RFC 3581): the address a response to a request with this top Via goes to:
     * received (else sent-by host) and rport (else sent-by port, else 5060). Null when the host is not
     * an IP literal (the node does not resolve names on the signalling loop).
     */
    public static InetSocketAddress responseAddress(Via top) {
        if (top == null) {
            throw new SipParseException("no Via", -1);
        }
        String host = top.received() != null ? top.received() : top.host();
        if (host.startsWith("[")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = top.rport() > 0 ? top.rport() : top.port() > 0 ? top.port() : 5060;
        byte[] ip = NetUtil.createByteArrayFromIpAddressString(host);
        if (ip == null) {
            return null;
        }
        try {
            return new InetSocketAddress(java.net.InetAddress.getByAddress(ip), port);
        } catch (java.net.UnknownHostException e) {
            return null;
        }
    }
}
