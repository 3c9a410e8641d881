package io.spillway.node.config;

/**
 * {@code [admin]}: the admin HTTP API ({@code /metrics}, {@code /health}, {@code /calls},
 * {@code /cluster}, {@code /config}, {@code POST /drain}).
 *
 * @param listen    TCP address; keep it on loopback or a management network
 * @param tokenFile file holding a bearer token; when set, every endpoint but {@code /health} needs
 *                  {@code Authorization: Bearer <token>}
 */
public record AdminConfig(HostPort listen, Secret tokenFile) {
}
