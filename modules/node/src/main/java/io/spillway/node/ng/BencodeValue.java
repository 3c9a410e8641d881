package io.spillway.node.ng;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A decoded bencode value: a byte string, an integer, a list or a dictionary.
 *
 * <p>Byte strings keep their raw bytes (SDP is binary-safe); {@link Bytes#text()} maps them to a
 * {@code String} byte-for-byte (ISO-8859-1), so UTF-8 SDP survives a decode-rewrite-encode round
 * trip unchanged. Dictionary keys are byte strings as well, held the same way; a dictionary keeps
 * arrival order (rtpengine clients do not sort keys) and the encoder sorts on output.
 */
public sealed interface BencodeValue {

    /** A byte string. */
    record Bytes(byte[] raw) implements BencodeValue {
        public Bytes {
            raw = raw.clone();
        }

        /** A byte string holding the ISO-8859-1 bytes of {@code text} (one byte per char). */
        public static Bytes of(String text) {
            return new Bytes(text.getBytes(StandardCharsets.ISO_8859_1));
        }

        /** The bytes as a string, one char per byte (lossless). */
        public String text() {
            return new String(raw, StandardCharsets.ISO_8859_1);
        }

        @Override
        public byte[] raw() {
            return raw.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Bytes b && Arrays.equals(raw, b.raw);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(raw);
        }

        @Override
        public String toString() {
            return '"' + text() + '"';
        }
    }

    /** A signed 64-bit integer. */
    record Int(long value) implements BencodeValue {
    }

    /** A list, immutable. */
    record ListValue(List<BencodeValue> items) implements BencodeValue {
        public ListValue {
            items = List.copyOf(items);
        }
    }

    /**
     * A dictionary, immutable, in arrival (decode) or insertion (build) order. Keys are byte strings
     * mapped to {@code String} one char per byte.
     */
    record Dict(Map<String, BencodeValue> entries) implements BencodeValue {
        public Dict {
            entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
        }

        /** The value under {@code key}, or {@code null}. */
        public BencodeValue get(String key) {
            return entries.get(key);
        }

        /** The byte string under {@code key} as text, or {@code null} if absent or not a byte string. */
        public String text(String key) {
            return entries.get(key) instanceof Bytes b ? b.text() : null;
        }
    }
}
