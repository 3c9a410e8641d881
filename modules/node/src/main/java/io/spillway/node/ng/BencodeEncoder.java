package io.spillway.node.ng;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Encodes {@link BencodeValue}s canonically: dictionary keys sorted as raw bytes (unsigned), so the
 * same value always yields the same bytes. Stateless and thread-safe.
 */
public final class BencodeEncoder {

    private BencodeEncoder() {
    }

    /** Appends the encoding of {@code value} to {@code out}. */
    public static void encode(BencodeValue value, ByteBuf out) {
        if (value instanceof BencodeValue.Bytes b) {
            writeBytes(b.raw(), out);
        } else if (value instanceof BencodeValue.Int i) {
            out.writeByte('i');
            out.writeCharSequence(Long.toString(i.value()), StandardCharsets.US_ASCII);
            out.writeByte('e');
        } else if (value instanceof BencodeValue.ListValue l) {
            out.writeByte('l');
            for (BencodeValue item : l.items()) {
                encode(item, out);
            }
            out.writeByte('e');
        } else if (value instanceof BencodeValue.Dict d) {
            out.writeByte('d');
            // ISO-8859-1 keys: String order of chars 0..255 equals unsigned byte order.
            List<Map.Entry<String, BencodeValue>> sorted = new ArrayList<>(d.entries().entrySet());
            sorted.sort(Map.Entry.comparingByKey());
            for (Map.Entry<String, BencodeValue> e : sorted) {
                writeBytes(e.getKey().getBytes(StandardCharsets.ISO_8859_1), out);
                encode(e.getValue(), out);
            }
            out.writeByte('e');
        } else {
            throw new IllegalStateException("unknown bencode value " + value);
        }
    }

    private static void writeBytes(byte[] raw, ByteBuf out) {
        out.writeCharSequence(Integer.toString(raw.length), StandardCharsets.US_ASCII);
        out.writeByte(':');
        out.writeBytes(raw);
    }
}
