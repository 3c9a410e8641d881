package io.spillway.node.config;

import java.time.Duration;

/**
 * {@code [security.flood]}: rate limits that keep one source from taking the node.
 *
 * @param sipRatePerSec           sustained SIP requests per second per source (IPv4 address or IPv6 /64)
 * @param sipBurst                requests a quiet source may send at once
 * @param maxTrackedSources       the most per-source buckets kept (bounded memory; when full, new
 *                                sources share one bucket)
 * @param sourceIdle              a bucket unused this long may be evicted
 * @param tcpMaxConnectionsPerSource concurrent TCP connections per source (trusted networks exempt); idle
 *                                connections are closed by {@code sip.tcp_idle_timeout}
 * @param mediaMaxPacketsPerSec   per relayed stream and direction, packets per second before drops
 *                                ({@code rate_limited}); several times the expected rate; 0 = no cap
 */
public record FloodConfig(int sipRatePerSec, int sipBurst, int maxTrackedSources, Duration sourceIdle,
                          int tcpMaxConnectionsPerSource, int mediaMaxPacketsPerSec) {
    public FloodConfig {
        Validate.range("sip_rate_per_sec", sipRatePerSec, 1, 1_000_000);
        Validate.range("sip_burst", sipBurst, 1, 1_000_000);
        Validate.range("max_tracked_sources", maxTrackedSources, 16, 10_000_000);
        Validate.between("source_idle", sourceIdle, Duration.ofSeconds(1), Duration.ofDays(1));
        Validate.range("tcp_max_connections_per_source", tcpMaxConnectionsPerSource, 1, 100_000);
        Validate.range("media_max_packets_per_sec", mediaMaxPacketsPerSec, 0, 1_000_000);
    }
}
