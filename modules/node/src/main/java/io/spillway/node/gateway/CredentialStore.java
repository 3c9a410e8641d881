package io.spillway.node.gateway;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The digest credentials: per user and realm, the HA1 hashes ({@code H(username ":" realm ":"
 * password)}, RFC 2617 3.2.2.2) for MD5 and SHA-256. Plain-text passwords are never read nor held.
 *
 * <p>File format, one user per line, {@code #} starts a comment line:
 * <pre>
 * # user:realm:ha1-md5:ha1-sha256    ('-' when a hash is not provisioned)
 * alice:spillway:1d8a7a8e3f...32 hex...:5f0e...64 hex...
 * </pre>
 * The user is everything before the last three colons. Make the hashes with e.g.
 * {@code printf '%s' 'alice:spillway:secret' | sha256sum}. A user without a SHA-256 hash can only
 * answer the MD5 challenge and vice versa. Errors name the line, never its hashes.
 */
public final class CredentialStore {
    /** One user's hashes. {@link #toString} shows no hash. */
    public record Credential(String user, String realm, String ha1Md5, String ha1Sha256) {
        /** The HA1 for {@code algorithm}, lower-case hex, or null when not provisioned. */
        public String ha1(DigestAlgorithm algorithm) {
            return algorithm == DigestAlgorithm.MD5 ? ha1Md5 : ha1Sha256;
        }

        @Override
        public String toString() {
            return "Credential[" + user + "@" + realm + "]";
        }
    }

    /** The empty store: every credential is refused. */
    public static final CredentialStore EMPTY = new CredentialStore(Map.of());

    private final Map<String, Credential> byUserRealm;

    private CredentialStore(Map<String, Credential> byUserRealm) {
        this.byUserRealm = Map.copyOf(byUserRealm);
    }

    /**
     * Reads a credentials file.
     *
     * @throws IOException              when it cannot be read
     * @throws IllegalArgumentException naming the bad line (and nothing of its content)
     */
    public static CredentialStore load(Path file) throws IOException {
        return parse(Files.readAllLines(file, StandardCharsets.UTF_8), file.toString());
    }

    /** Parses credential lines; {@code source} names them in errors. */
    public static CredentialStore parse(List<String> lines, String source) {
        Map<String, Credential> map = new HashMap<>();
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = source + " line " + (n + 1);
            int c3 = line.lastIndexOf(':');
            int c2 = c3 <= 0 ? -1 : line.lastIndexOf(':', c3 - 1);
            int c1 = c2 <= 0 ? -1 : line.lastIndexOf(':', c2 - 1);
            if (c1 <= 0) {
                throw new IllegalArgumentException(where + ": expected user:realm:ha1-md5:ha1-sha256");
            }
            String user = line.substring(0, c1);
            String realm = line.substring(c1 + 1, c2);
            String md5 = hash(line.substring(c2 + 1, c3), 32, where, "ha1-md5");
            String sha = hash(line.substring(c3 + 1), 64, where, "ha1-sha256");
            if (md5 == null && sha == null) {
                throw new IllegalArgumentException(where + ": has neither an MD5 nor a SHA-256 hash");
            }
            if (map.put(key(user, realm), new Credential(user, realm, md5, sha)) != null) {
                throw new IllegalArgumentException(where + ": duplicate user '" + user + "' in realm '" + realm + "'");
            }
        }
        return new CredentialStore(map);
    }

    private static String hash(String text, int length, String where, String field) {
        if (text.equals("-") || text.isEmpty()) {
            return null;
        }
        if (!Hex.isHex(text, length)) {
            throw new IllegalArgumentException(where + ": " + field + " must be " + length + " hex digits or '-'");
        }
        return text.toLowerCase(Locale.ROOT);
    }

    /** A store built in code (tests, tools) from {@code user, realm, password} triples hashed here. */
    public static CredentialStore ofPasswords(String realm, Map<String, String> passwords) {
        Map<String, Credential> map = new HashMap<>();
        passwords.forEach((user, pw) -> map.put(key(user, realm), new Credential(user, realm,
            DigestAlgorithm.MD5.hex(user + ":" + realm + ":" + pw),
            DigestAlgorithm.SHA_256.hex(user + ":" + realm + ":" + pw))));
        return new CredentialStore(map);
    }

    /** The credential of {@code user} in {@code realm}, or null. */
    public Credential find(String user, String realm) {
        return byUserRealm.get(key(user, realm));
    }

    public int size() {
        return byUserRealm.size();
    }

    private static String key(String user, String realm) {
        return user + '\u0000' + realm;
    }
}
