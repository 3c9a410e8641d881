package io.spillway.media;

import java.net.InetAddress;

/**
 * The relay ports allocated for one leg, to be written into the SDP sent to that leg's party.
 *
 * @param advertisedAddress the address to put in c= (the configured advertised address)
 * @param rtpPort even port for m=
 * @param rtcpPort odd port for a=rtcp, or equal to rtpPort with rtcp-mux
 * @param rtcpMux whether the leg uses one port for both
 */
public record LegPorts(InetAddress advertisedAddress, int rtpPort, int rtcpPort, boolean rtcpMux) {
}
