package io.spillway.node.config;

import java.time.Duration;
import java.util.List;

/**
 * {@code [security.auth]}: SIP digest authentication of REGISTER, and of INVITE from untrusted
 * sources, plus the fail2ban-like block after repeated failures.
 *
 * @param enabled            whether to challenge at all
 * @param realm              the digest realm
 * @param credentialsFile    file of {@code user:realm:ha1-md5:ha1-sha256} lines (required when enabled)
 * @param nonceSecretFile    HMAC key for stateless nonces, shared by nodes that accept each other's
 *                           nonces; empty = a random key per process
 * @param nonceLifetime      how long a nonce is valid; after it the client gets {@code stale=true}
 * @param trusted            networks whose INVITEs need no credentials (peers, SBCs, trunks)
 * @param maxFailures        failures within {@code failureWindow} that block a source
 * @param failureWindow      the window failures are counted in
 * @param blockTime          how long a block lasts
 * @param maxTrackedSources  the most sources the block list tracks (bounded memory)
 */
public record AuthConfig(boolean enabled, String realm, Secret credentialsFile, Secret nonceSecretFile,
                         Duration nonceLifetime, List<String> trusted, int maxFailures, Duration failureWindow,
                         Duration blockTime, int maxTrackedSources) {
    public AuthConfig {
        Validate.notEmpty("realm", realm);
        Validate.check(realm.indexOf('"') < 0 && realm.indexOf('\\') < 0, "realm", realm,
            "must not contain quotes or backslashes");
        Validate.check(!enabled || credentialsFile.isPresent(), "credentials_file", "",
            "is required when security.auth.enabled = true");
        Validate.check(!nonceSecretFile.isPresent() || nonceSecretFile.bytes().length >= 16, "nonce_secret_file",
            nonceSecretFile, "must hold at least 16 bytes");
        Validate.between("nonce_lifetime", nonceLifetime, Duration.ofSeconds(10), Duration.ofHours(1));
        trusted = List.copyOf(trusted);
        Validate.cidrs("trusted", trusted);
        Validate.range("max_failures", maxFailures, 1, 1000);
        Validate.between("failure_window", failureWindow, Duration.ofSeconds(1), Duration.ofDays(1));
        Validate.between("block_time", blockTime, Duration.ofSeconds(1), Duration.ofDays(7));
        Validate.range("max_tracked_sources", maxTrackedSources, 16, 10_000_000);
    }
}
