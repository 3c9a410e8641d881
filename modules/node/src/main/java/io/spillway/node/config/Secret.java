package io.spillway.node.config;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * A secret read from a file (cluster key, admin token). The config names the file, never the secret
 * itself; {@link #toString()} shows only the path, so logging a config never leaks it.
 */
public final class Secret {

    /** No secret configured (an empty {@code *_file} key). */
    public static final Secret NONE = new Secret(null, new byte[0]);

    private final Path file;
    private final byte[] value;

    Secret(Path file, byte[] value) {
        this.file = file;
        this.value = value.clone();
    }

    /** Whether a secret is configured. */
    public boolean isPresent() {
        return file != null;
    }

    /** The file the secret came from, or {@code null}. */
    public Path file() {
        return file;
    }

    /** A copy of the secret's bytes (trailing newline stripped). */
    public byte[] bytes() {
        return value.clone();
    }

    /** Compares {@code candidate} with the secret in constant time. */
    public boolean matches(String candidate) {
        return isPresent() && MessageDigest.isEqual(value, candidate.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret s && java.util.Objects.equals(file, s.file) && Arrays.equals(value, s.value);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hashCode(file);
    }

    /** The path only; the value is redacted. */
    @Override
    public String toString() {
        return isPresent() ? file + " (redacted)" : "";
    }
}
