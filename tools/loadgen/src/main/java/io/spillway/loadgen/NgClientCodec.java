package io.spillway.loadgen;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A small bencode codec for the load generator's ng client: encodes {@code Map<String, ?>},
 * {@code List<?>}, {@code String} and {@code Long}/{@code Integer}; decodes to the same types (byte
 * strings as ISO-8859-1 text). Lenient on input (it talks to a trusted server); not for the node.
 */
final class NgClientCodec {
    private NgClientCodec() {
    }

    static byte[] encode(Object value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        write(value, out);
        return out.toByteArray();
    }

    private static void write(Object value, ByteArrayOutputStream out) {
        if (value instanceof String s) {
            byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
            out.writeBytes((b.length + ":").getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(b);
        } else if (value instanceof Long || value instanceof Integer) {
            out.writeBytes(("i" + value + "e").getBytes(StandardCharsets.US_ASCII));
        } else if (value instanceof List<?> list) {
            out.write('l');
            for (Object o : list) {
                write(o, out);
            }
            out.write('e');
        } else if (value instanceof Map<?, ?> map) {
            out.write('d');
            for (Map.Entry<?, ?> e : new TreeMap<>(map).entrySet()) {
                write(e.getKey(), out);
                write(e.getValue(), out);
            }
            out.write('e');
        } else {
            throw new IllegalArgumentException("cannot bencode " + value);
        }
    }

    static Object decode(byte[] data, int offset) {
        int[] pos = {offset};
        return read(data, pos);
    }

    private static Object read(byte[] d, int[] pos) {
        byte b = d[pos[0]];
        if (b == 'i') {
            int end = indexOf(d, (byte) 'e', pos[0]);
            long v = Long.parseLong(new String(d, pos[0] + 1, end - pos[0] - 1, StandardCharsets.US_ASCII));
            pos[0] = end + 1;
            return v;
        }
        if (b == 'l') {
            pos[0]++;
            List<Object> list = new ArrayList<>();
            while (d[pos[0]] != 'e') {
                list.add(read(d, pos));
            }
            pos[0]++;
            return list;
        }
        if (b == 'd') {
            pos[0]++;
            Map<String, Object> map = new LinkedHashMap<>();
            while (d[pos[0]] != 'e') {
                String key = (String) read(d, pos);
                map.put(key, read(d, pos));
            }
            pos[0]++;
            return map;
        }
        int colon = indexOf(d, (byte) ':', pos[0]);
        int length = Integer.parseInt(new String(d, pos[0], colon - pos[0], StandardCharsets.US_ASCII));
        String s = new String(d, colon + 1, length, StandardCharsets.ISO_8859_1);
        pos[0] = colon + 1 + length;
        return s;
    }

    private static int indexOf(byte[] d, byte wanted, int from) {
        for (int i = from; i < d.length; i++) {
            if (d[i] == wanted) {
                return i;
            }
        }
        throw new IllegalArgumentException("truncated bencode");
    }
}
