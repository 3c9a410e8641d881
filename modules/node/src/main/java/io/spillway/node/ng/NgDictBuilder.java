package io.spillway.node.ng;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds a bencode dictionary for an ng reply; keys are sorted by the encoder. Not thread-safe. */
public final class NgDictBuilder {
    private final Map<String, BencodeValue> entries = new LinkedHashMap<>();

    /** Puts a text byte string. */
    public NgDictBuilder put(String key, String text) {
        entries.put(key, BencodeValue.Bytes.of(text));
        return this;
    }

    /** Puts an integer. */
    public NgDictBuilder put(String key, long value) {
        entries.put(key, new BencodeValue.Int(value));
        return this;
    }

    /** Puts any value. */
    public NgDictBuilder put(String key, BencodeValue value) {
        entries.put(key, value);
        return this;
    }

    /** Puts a list of text byte strings. */
    public NgDictBuilder putTexts(String key, List<String> texts) {
        List<BencodeValue> items = new ArrayList<>(texts.size());
        for (String t : texts) {
            items.add(BencodeValue.Bytes.of(t));
        }
        entries.put(key, new BencodeValue.ListValue(items));
        return this;
    }

    /** The dictionary. */
    public BencodeValue.Dict build() {
        return new BencodeValue.Dict(entries);
    }

    /** {@code {result: error, error-reason: reason}}. */
    public static BencodeValue.Dict error(String reason) {
        return new NgDictBuilder().put("result", "error").put("error-reason", reason).build();
    }
}
