package io.spillway.node.sip.transport;

import io.netty.channel.Channel;
import java.net.InetSocketAddress;

/**
 * Where an inbound message came from.
 *
 * @param transport UDP or TCP
 * @param remote    the client's address: the PROXY protocol source when a trusted load balancer
 *                  sent it, else the packet's source
 * @param peer      the packet's own source (the load balancer, or the client itself)
 * @param channel   the UDP channel or TCP connection it arrived on (responses go back over it)
 */
public record SipSource(SipTransportKind transport, InetSocketAddress remote, InetSocketAddress peer,
                        Channel channel) {
}
