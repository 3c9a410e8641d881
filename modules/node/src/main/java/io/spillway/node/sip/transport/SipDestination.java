package io.spillway.node.sip.transport;

import io.netty.channel.Channel;
import java.net.InetSocketAddress;

/**
 * Where to send a message.
 *
 * @param transport UDP or TCP
 * @param address   the next hop
 * @param channel   a channel to prefer (the UDP socket or TCP connection a request arrived on), or
 *                  null to let the transport choose (UDP socket of the right family; the TCP
 *                  connection table, connecting when needed)
 */
public record SipDestination(SipTransportKind transport, InetSocketAddress address, Channel channel) {
    /** A destination without a preferred channel. */
    public static SipDestination of(SipTransportKind transport, InetSocketAddress address) {
        return new SipDestination(transport, address, null);
    }
}
