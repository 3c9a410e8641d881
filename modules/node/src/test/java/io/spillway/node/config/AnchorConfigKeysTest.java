package io.spillway.node.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The {@code [registrar]} keys and {@code media.max_duration}: defaults, overrides, errors naming the key. */
@Timeout(10)
class AnchorConfigKeysTest {

    private static NodeConfig load(String... sets) {
        return ConfigLoader.load(new ConfigSource(null, List.of(sets)));
    }

    private static void assertError(String key, String problemPart, String... sets) {
        ConfigException e = assertThrows(ConfigException.class, () -> load(sets));
        assertEquals(key, e.key(), e.getMessage());
        assertTrue(e.problem().contains(problemPart), e.getMessage());
    }

    @Test
    void defaults() {
        NodeConfig c = load();
        assertEquals(Duration.ofSeconds(60), c.registrar().minExpires());
        assertEquals(Duration.ofHours(1), c.registrar().maxExpires());
        assertEquals(Duration.ofHours(1), c.registrar().defaultExpires());
        assertEquals(10, c.registrar().maxContacts());
        assertEquals(Duration.ZERO, c.media().maxDuration());
    }

    @Test
    void overrides() {
        NodeConfig c = load("registrar.min_expires=30s", "registrar.default_expires=10m", "media.max_duration=4h");
        assertEquals(Duration.ofSeconds(30), c.registrar().minExpires());
        assertEquals(Duration.ofMinutes(10), c.registrar().defaultExpires());
        assertEquals(Duration.ofHours(4), c.media().maxDuration());
        assertTrue(c.toString().contains("registrar.max_contacts = 10"));
    }

    @Test
    void errorsNameTheKey() {
        assertError("registrar.min_expires", "whole seconds", "registrar.min_expires=1500ms");
        assertError("registrar.max_expires", "must be", "registrar.min_expires=2h");
        assertError("registrar.default_expires", "must be", "registrar.default_expires=10s");
        assertError("registrar.max_contacts", "must be 1-1000", "registrar.max_contacts=0");
        assertError("media.max_duration", "must be", "media.max_duration=8d");
    }
}
