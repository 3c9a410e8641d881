package io.spillway.node.config;

import java.util.List;

/**
 * {@code [security.<listener>]}: which source networks a listener admits. The deny list is checked
 * first; an empty allow list admits every source not denied.
 *
 * @param allow networks admitted ({@code 192.0.2.0/24}, {@code 2001:db8::/32}, a bare address = one host)
 * @param deny  networks refused, even when also allowed
 */
public record AccessListConfig(List<String> allow, List<String> deny) {
    public AccessListConfig {
        allow = List.copyOf(allow);
        deny = List.copyOf(deny);
        Validate.cidrs("allow", allow);
        Validate.cidrs("deny", deny);
    }
}
