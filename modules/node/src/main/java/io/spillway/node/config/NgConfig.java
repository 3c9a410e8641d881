package io.spillway.node.config;

/**
 * {@code [ng]}: the rtpengine-compatible ng control port (bencode over UDP). Off by default: it has no
 * authentication, so only enable it on an address only the SIP proxy can reach.
 *
 * @param enabled whether to open the port
 * @param listen  UDP address to listen on
 */
public record NgConfig(boolean enabled, HostPort listen) {
}
