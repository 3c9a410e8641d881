package io.spillway.node.config;

import java.time.Duration;

/**
 * {@code [lifecycle]}: draining and systemd integration.
 *
 * @param drainTimeout   on SIGTERM or {@code POST /drain}, how long to wait for active calls to end
 *                       before stopping anyway
 * @param watchdog       send {@code WATCHDOG=1} when systemd asks for it ({@code WatchdogSec=})
 * @param statusInterval how often to send {@code STATUS=} to systemd
 */
public record LifecycleConfig(Duration drainTimeout, boolean watchdog, Duration statusInterval) {
    public LifecycleConfig {
        Validate.between("drain_timeout", drainTimeout, Duration.ZERO, Duration.ofDays(1));
        Validate.between("status_interval", statusInterval, Duration.ofMillis(100), Duration.ofHours(1));
    }
}
