package io.spillway.node.config;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * A {@code host:port} pair as written in the config ({@code 127.0.0.1:5060}, {@code [::1]:5060},
 * {@code sip.example.net:5060}). Kept as text so parsing the config never does DNS; {@link
 * #toSocketAddress()} resolves when a component binds or sends. Port 0 means "chosen by the OS".
 *
 * @param host an IP literal (IPv6 without brackets) or a host name
 * @param port 0-65535
 */
public record HostPort(String host, int port) {

    public HostPort {
        if (host == null || host.isEmpty()) {
            throw new ConfigException("", host, "host must not be empty");
        }
        if (port < 0 || port > 65535) {
            throw new ConfigException("", String.valueOf(port), "port must be 0-65535");
        }
    }

    /**
     * Parses {@code host:port} or {@code [v6]:port}.
     *
     * @throws ConfigException with an empty key (the binder adds it)
     */
    public static HostPort parse(String text) {
        String host;
        String port;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0 || close + 1 >= text.length() || text.charAt(close + 1) != ':') {
                throw new ConfigException("", text, "expected [ipv6]:port, e.g. [::1]:5060");
            }
            host = text.substring(1, close);
            port = text.substring(close + 2);
            if (!NetUtil.isValidIpV6Address(host)) {
                throw new ConfigException("", text, "'" + host + "' is not an IPv6 address");
            }
        } else {
            int colon = text.lastIndexOf(':');
            if (colon <= 0 || text.indexOf(':') != colon) {
                throw new ConfigException("", text, "expected host:port, e.g. 127.0.0.1:5060 or [::1]:5060");
            }
            host = text.substring(0, colon);
            port = text.substring(colon + 1);
        }
        int p;
        try {
            p = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw new ConfigException("", text, "port '" + port + "' is not a number");
        }
        if (p < 0 || p > 65535) {
            throw new ConfigException("", text, "port must be 0-65535");
        }
        return new HostPort(host, p);
    }

    /** True when the host is an IP literal (no DNS needed). */
    public boolean isIpLiteral() {
        return NetUtil.isValidIpV4Address(host) || NetUtil.isValidIpV6Address(host);
    }

    /** Resolves the host (no DNS for IP literals). */
    public InetSocketAddress toSocketAddress() {
        if (isIpLiteral()) {
            InetAddress address = NetUtil.createInetAddressFromIpAddressString(host);
            return new InetSocketAddress(address, port);
        }
        return new InetSocketAddress(host, port);
    }

    /** The canonical text form, the one {@link #parse} reads. */
    @Override
    public String toString() {
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }
}
