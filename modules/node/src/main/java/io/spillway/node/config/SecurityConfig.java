package io.spillway.node.config;

/**
 * {@code [security]}: the access gateway (docs/security.md): per-listener network policy, SIP digest
 * authentication, flood limits.
 *
 * @param sip     who may send SIP
 * @param ng      who may send ng commands (default: loopback only; add the SIP proxies that control this node)
 * @param cluster who may send control datagrams, in addition to the configured peers' addresses (which
 *                are always admitted; an empty allow list means the peers only)
 * @param admin   who may connect to the admin HTTP API
 * @param auth    SIP digest authentication and the block list
 * @param flood   rate and connection limits
 */
public record SecurityConfig(AccessListConfig sip, AccessListConfig ng, AccessListConfig cluster,
                             AccessListConfig admin, AuthConfig auth, FloodConfig flood) {
}
