package io.spillway.node.sip.transport;

import io.netty.util.NetUtil;
import java.net.InetAddress;

/** IP address text for SIP headers: compressed IPv6, no scope id, no brackets. */
public final class Hosts {
    private Hosts() {
    }

    public static String ip(InetAddress address) {
        String s = NetUtil.toAddressString(address);
        int pct = s.indexOf('%');
        return pct < 0 ? s : s.substring(0, pct);
    }
}
