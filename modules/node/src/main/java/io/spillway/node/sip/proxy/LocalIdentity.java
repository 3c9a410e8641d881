package io.spillway.node.sip.proxy;

import io.netty.util.NetUtil;
import io.spillway.node.sip.transport.SipTransport;
import io.spillway.sip.SipUri;
import io.spillway.sip.Via;
import java.net.InetAddress;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** Which URIs and Via sent-bys name this node: its listen addresses and ports, and its domains. */
public final class LocalIdentity {
    private final SipTransport transport;
    private final Set<String> domains;

    public LocalIdentity(SipTransport transport, List<String> domains) {
        this.transport = transport;
        this.domains = domains.stream().map(d -> d.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    }

    /** True when {@code host} (with optional brackets) and {@code port} (-1: 5060) are one of our listeners. */
    public boolean isOwnAddress(String host, int port) {
        if (host == null) {
            return false;
        }
        String h = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        InetAddress a = NetUtil.createInetAddressFromIpAddressString(h);
        return a != null && transport.isOwnAddress(a, port < 0 ? 5060 : port);
    }

    /** A URI that routes to this node (a Route or Request-URI naming us). */
    public boolean isOwnUri(SipUri uri) {
        return uri != null && uri.isSip() && isOwnAddress(uri.host(), uri.port());
    }

    /** A Via whose sent-by is ours. */
    public boolean isOwnVia(Via via) {
        return isOwnAddress(via.host(), via.port());
    }

    /** True when no domains are configured: the node serves any host (registrar, location lookups). */
    public boolean servesAnyDomain() {
        return domains.isEmpty();
    }

    /** A host this node is responsible for: a configured domain, or one of its own addresses and ports. */
    public boolean isLocalDomain(SipUri uri) {
        if (uri.host() == null) {
            return false;
        }
        if (domains.contains(uri.host().toLowerCase(Locale.ROOT))) {
            return true;
        }
        return isOwnUri(uri);
    }
}
