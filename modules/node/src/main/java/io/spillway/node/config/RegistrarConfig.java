package io.spillway.node.config;

import java.time.Duration;

/**
 * {@code [registrar]}: the REGISTER rules for the node's domains (RFC 3261 10.3).
 *
 * @param minExpires      shortest binding accepted; a shorter non-zero request gets 423 with
 *                        Min-Expires (whole seconds)
 * @param maxExpires      longest binding granted; longer requests are clamped to it
 * @param defaultExpires  binding time when the request states none
 * @param maxContacts     most contacts bound to one address of record; more gets 403
 */
public record RegistrarConfig(Duration minExpires, Duration maxExpires, Duration defaultExpires,
                              int maxContacts) {
    public RegistrarConfig {
        Validate.between("min_expires", minExpires, Duration.ofSeconds(1), Duration.ofDays(1));
        Validate.check(minExpires.toMillis() % 1000 == 0, "min_expires", ConfigValues.format(minExpires),
            "must be whole seconds (SIP expires are seconds)");
        Validate.between("max_expires", maxExpires, minExpires, Duration.ofDays(7));
        Validate.check(maxExpires.toMillis() % 1000 == 0, "max_expires", ConfigValues.format(maxExpires),
            "must be whole seconds (SIP expires are seconds)");
        Validate.between("default_expires", defaultExpires, minExpires, maxExpires);
        Validate.check(defaultExpires.toMillis() % 1000 == 0, "default_expires",
            ConfigValues.format(defaultExpires), "must be whole seconds (SIP expires are seconds)");
        Validate.range("max_contacts", maxContacts, 1, 1000);
    }
}
