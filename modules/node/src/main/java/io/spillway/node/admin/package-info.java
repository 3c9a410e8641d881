/**
 * The admin HTTP API on its own small event loop: {@code GET /metrics} (Prometheus), {@code /health},
 * {@code /calls}, {@code /cluster}, {@code /config} (redacted), {@code POST /drain}; optional bearer
 * token. What it shows comes from an {@link io.spillway.node.admin.AdminBackend} the node implements.
 *
 * <p>Depends on Netty (HTTP codec), Jackson (JSON), {@code node.config} and {@code node.metrics};
 * not on the lifecycle, which depends on it.
 */
package io.spillway.node.admin;
