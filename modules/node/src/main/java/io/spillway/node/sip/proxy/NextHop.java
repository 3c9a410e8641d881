package io.spillway.node.sip.proxy;

import io.netty.util.NetUtil;
import io.spillway.node.sip.transport.SipDestination;
import io.spillway.node.sip.transport.SipTransportKind;
import io.spillway.sip.SipUri;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Locale;

/**
 * The transport address of a SIP URI (a simplified RFC 3263: {@code transport} parameter, else UDP;
 * the port, else 5060; {@code maddr} wins over the host). Host names are resolved by the caller off
 * the loop; this class only handles IP literals.
 */
final class NextHop {
    private NextHop() {
    }

    static SipTransportKind transportOf(SipUri uri) {
        String t = uri.param("transport");
        return t != null && t.toLowerCase(Locale.ROOT).equals("tcp") ? SipTransportKind.TCP : SipTransportKind.UDP;
    }

    static String hostOf(SipUri uri) {
        String maddr = uri.param("maddr");
        String host = maddr != null && !maddr.isEmpty() ? maddr : uri.host();
        return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    }

    static int portOf(SipUri uri) {
        return uri.port() > 0 ? uri.port() : 5060;
    }

    /** The destination when the host is an IP literal, else null (it needs DNS). */
    static SipDestination literal(SipUri uri) {
        InetAddress a = NetUtil.createInetAddressFromIpAddressString(hostOf(uri));
        return a == null ? null : SipDestination.of(transportOf(uri), new InetSocketAddress(a, portOf(uri)));
    }
}
