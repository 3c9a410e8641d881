package io.spillway.node.config;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;

/**
 * {@code [sip]}: where the SIP-lite listener binds, which domains it serves, the RFC 3261
 * transaction timers and the load balancers allowed to speak the PROXY protocol.
 *
 * @param listen               IP addresses to listen on (UDP and TCP on each)
 * @param udpPort              UDP port; 0 means an OS-chosen port (tests)
 * @param tcpPort              TCP port; 0 means an OS-chosen port (tests)
 * @param domains              domains this node is responsible for (REGISTER, location lookups);
 *                             empty means any; the node's own addresses are always local
 * @param t1                   RFC 3261 T1, the round-trip estimate (default 500ms)
 * @param t2                   RFC 3261 T2, the cap on non-INVITE retransmit intervals (default 4s)
 * @param t4                   RFC 3261 T4, how long a message stays in the network (default 5s)
 * @param timerC               proxy INVITE timer C: a ringing INVITE is cancelled after this long
 * @param tcpIdleTimeout       a TCP connection with no traffic for this long is closed
 * @param trustedLoadBalancers source addresses whose PROXY protocol headers (TCP v1/v2, UDP v2) are
 *                             believed; a header from any other source is rejected and counted
 */
public record SipConfig(List<InetAddress> listen, int udpPort, int tcpPort, List<String> domains,
                        Duration t1, Duration t2, Duration t4, Duration timerC, Duration tcpIdleTimeout,
                        List<InetAddress> trustedLoadBalancers) {
    public SipConfig {
        Validate.check(!listen.isEmpty(), "listen", "", "needs at least one address");
        Validate.port("udp_port", udpPort);
        Validate.port("tcp_port", tcpPort);
        Validate.between("t1", t1, Duration.ofMillis(10), Duration.ofSeconds(10));
        Validate.between("t2", t2, Duration.ofMillis(10), Duration.ofSeconds(60));
        Validate.check(t2.compareTo(t1) >= 0, "t2", ConfigValues.format(t2), "must be at least t1 ("
            + ConfigValues.format(t1) + ")");
        Validate.between("t4", t4, Duration.ofMillis(10), Duration.ofSeconds(60));
        Validate.between("timer_c", timerC, Duration.ofSeconds(1), Duration.ofHours(1));
        Validate.between("tcp_idle_timeout", tcpIdleTimeout, Duration.ofSeconds(1), Duration.ofHours(24));
        listen = List.copyOf(listen);
        domains = List.copyOf(domains);
        trustedLoadBalancers = List.copyOf(trustedLoadBalancers);
    }
}
