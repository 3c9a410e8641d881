package io.spillway.node.config;

import java.net.InetAddress;
import java.time.Duration;

/**
 * {@code [media]}: the relay's UDP port range and timing. Named {@code *Section} to keep it apart from
 * the media module's own engine settings, which the node derives from it.
 *
 * @param bind              address the relay ports bind to
 * @param advertisedAddress address written into rewritten SDP (c= lines); empty means {@code bind}
 * @param portMin           first relay port (even)
 * @param portMax           last relay port
 * @param eventLoops        relay event loop threads; 0 means one per available core
 * @param quarantine        how long a freed port pair stays unused (late packets of the old call)
 * @param timeout           a call whose media is silent this long stops being relayed
 * @param maxPacketBytes    largest datagram relayed; larger ones are dropped and counted
 * @param maxDuration       a call is ended (BYE to both sides) after this long whatever its media
 *                          does; 0 means no limit
 */
public record MediaSection(InetAddress bind, String advertisedAddress, int portMin, int portMax,
                           int eventLoops, Duration quarantine, Duration timeout, int maxPacketBytes,
                           Duration maxDuration) {
    public MediaSection {
        Validate.range("port_min", portMin, 1024, 65534);
        Validate.check(portMin % 2 == 0, "port_min", portMin, "must be even (RTP even, RTCP odd)");
        Validate.range("port_max", portMax, 1025, 65535);
        Validate.check(portMax - portMin >= 3, "port_max", portMax,
            "must be at least port_min + 3 (one port pair per call leg, two legs)");
        Validate.range("event_loops", eventLoops, 0, 256);
        Validate.between("quarantine", quarantine, Duration.ZERO, Duration.ofMinutes(10));
        Validate.positive("timeout", timeout);
        Validate.range("max_packet_bytes", maxPacketBytes, 172, 65507);
        Validate.between("max_duration", maxDuration, Duration.ZERO, Duration.ofDays(7));
        Validate.check(advertisedAddress.isEmpty() || advertisedAddress.strip().equals(advertisedAddress)
            && advertisedAddress.indexOf(' ') < 0, "advertised_address", advertisedAddress,
            "must be an address or host name without white space");
    }

    /** The address to advertise in SDP. */
    public String advertisedHost() {
        return advertisedAddress.isEmpty() ? bind.getHostAddress() : advertisedAddress;
    }
}
