package io.spillway.node.sip.transport;

import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * Open TCP connections by remote address, so responses and in-dialog requests reuse them (RFC 3261
 * 18.2.2, 18.1.1). Owned by the signalling loop: not thread-safe.
 */
public final class TcpConnectionTable {
    private final Map<InetSocketAddress, Channel> byRemote = new HashMap<>();

    void put(InetSocketAddress remote, Channel channel) {
        byRemote.put(remote, channel);
    }

    void remove(InetSocketAddress remote, Channel channel) {
        byRemote.remove(remote, channel);
    }

    /** The open connection to {@code remote}, or null. */
    public Channel get(InetSocketAddress remote) {
        Channel c = byRemote.get(remote);
        return c != null && c.isActive() ? c : null;
    }

    /** Open connections. */
    public int size() {
        return byRemote.size();
    }
}
