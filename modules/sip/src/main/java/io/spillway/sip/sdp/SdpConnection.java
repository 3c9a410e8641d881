package io.spillway.sip.sdp;

/**
 * A {@code c=} line: {@code c=IN IP4 192.0.2.1} (RFC 8866 5.7).
 *
 * @param netType network type, {@code IN}
 * @param addrType {@code IP4} or {@code IP6} (or another token)
 * @param address the address without any {@code /ttl/count} suffix
 * @param suffix the {@code /ttl[/count]} suffix as written, or "" (multicast)
 */
public record SdpConnection(String netType, String addrType, String address, String suffix) {

    /** True for {@code IP6}. */
    public boolean isIpv6() {
        return "IP6".equalsIgnoreCase(addrType);
    }

    static SdpConnection parse(String value, int lineNo) {
        String[] f = value.split(" ");
        if (f.length != 3 || f[0].isEmpty() || f[1].isEmpty() || f[2].isEmpty()) {
            throw SdpSession.error("invalid c= line", lineNo);
        }
        String addr = f[2];
        String suffix = "";
        int slash = addr.indexOf('/');
        if (slash >= 0) {
            suffix = addr.substring(slash);
            addr = addr.substring(0, slash);
        }
        if (addr.isEmpty()) {
            throw SdpSession.error("invalid c= address", lineNo);
        }
        return new SdpConnection(f[0], f[1], addr, suffix);
    }

    static String line(String address) {
        return "c=IN " + addrType(address) + " " + address;
    }

    static String addrType(String address) {
        return address.indexOf(':') >= 0 ? "IP6" : "IP4";
    }
}
