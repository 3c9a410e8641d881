package io.spillway.node.config;

/**
 * One {@code [[routes]]} entry: a static route for initial INVITEs whose Request-URI user starts with
 * {@code prefix} (longest prefix wins). Reloadable with SIGHUP.
 *
 * @param prefix user-part prefix, e.g. {@code +44} or {@code 0049}
 * @param uri    where to send matching calls, a {@code sip:} or {@code sips:} URI
 */
public record RouteConfig(String prefix, String uri) {
    public RouteConfig {
        Validate.notEmpty("prefix", prefix);
        Validate.check(prefix.matches("[0-9A-Za-z+*#._-]+"), "prefix", prefix,
            "may contain only 0-9 A-Z a-z + * # . _ -");
        Validate.check(uri.startsWith("sip:") || uri.startsWith("sips:"), "uri", uri,
            "must be a sip: or sips: URI");
    }
}
