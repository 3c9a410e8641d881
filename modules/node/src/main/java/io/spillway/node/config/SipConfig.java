package io.spillway.node.config;

import java.net.InetAddress;
import java.util.List;

/**
 * {@code [sip]}: where the SIP-lite listener binds and which domains it serves.
 *
 * @param listen  IP addresses to listen on (UDP and TCP on each)
 * @param udpPort UDP port; 0 means an OS-chosen port (tests)
 * @param tcpPort TCP port; 0 means an OS-chosen port (tests)
 * @param domains domains this node is responsible for (Request-URI hosts it treats as local); empty
 *                means any
 */
public record SipConfig(List<InetAddress> listen, int udpPort, int tcpPort, List<String> domains) {
    public SipConfig {
        Validate.check(!listen.isEmpty(), "listen", "", "needs at least one address");
        Validate.port("udp_port", udpPort);
        Validate.port("tcp_port", tcpPort);
        listen = List.copyOf(listen);
        domains = List.copyOf(domains);
    }
}
