package io.spillway.node.ng;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class BencodeCodecTest {
    private final BencodeDecoder decoder = new BencodeDecoder();

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] encode(BencodeValue v) {
        ByteBuf buf = Unpooled.buffer();
        try {
            BencodeEncoder.encode(v, buf);
            return ByteBufUtil.getBytes(buf);
        } finally {
            buf.release();
        }
    }

    @Test
    void decodesEveryTypeAndKeepsArrivalOrder() throws Exception {
        BencodeValue v = decoder.decode(ascii("d7:command5:offer7:call-id3:abc1:dd4:listli1ei-42ee3:numi0eee"));
        BencodeValue.Dict d = (BencodeValue.Dict) v;
        assertEquals(List.of("command", "call-id", "d"), List.copyOf(d.entries().keySet()));
        assertEquals("offer", d.text("command"));
        BencodeValue.Dict inner = (BencodeValue.Dict) d.get("d");
        assertEquals(new BencodeValue.ListValue(List.of(new BencodeValue.Int(1), new BencodeValue.Int(-42))),
            inner.get("list"));
        assertEquals(new BencodeValue.Int(0), inner.get("num"));
    }

    @Test
    void encodesWithSortedKeys() {
        BencodeValue.Dict d = new NgDictBuilder().put("sdp", "v=0").put("result", "ok").put("a", -7).build();
        assertEquals("d1:ai-7e6:result2:ok3:sdp3:v=0e", new String(encode(d), StandardCharsets.US_ASCII));
    }

    @Test
    void sortsKeysAsUnsignedBytes() {
        BencodeValue.Dict d = new NgDictBuilder().put("\u00e9", 1).put("z", 2).put("A", 3).build();
        assertArrayEquals(ascii("d1:Ai3e1:zi2e1:\u00e9i1ee"), encode(d));
    }

    @Test
    void roundTripsBinaryStringsByteExact() throws Exception {
        byte[] raw = new byte[256];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = (byte) i;
        }
        BencodeValue.Dict d = new BencodeValue.Dict(Map.of("bin", new BencodeValue.Bytes(raw)));
        BencodeValue back = decoder.decode(encode(d));
        assertArrayEquals(raw, ((BencodeValue.Bytes) ((BencodeValue.Dict) back).get("bin")).raw());
    }

    @Test
    void roundTripsRandomDocuments() throws Exception {
        Random random = new Random(42);
        for (int i = 0; i < 500; i++) {
            BencodeValue v = randomValue(random, 0);
            byte[] once = encode(v);
            BencodeValue back = decoder.decode(once);
            assertArrayEquals(once, encode(back), "re-encoding must be canonical");
        }
    }

    @Test
    void roundTripsLongExtremes() throws Exception {
        for (long n : new long[] {0, 1, -1, Long.MAX_VALUE, Long.MIN_VALUE + 1}) {
            assertEquals(new BencodeValue.Int(n), decoder.decode(encode(new BencodeValue.Int(n))));
        }
    }

    private static BencodeValue randomValue(Random r, int depth) {
        int kind = depth > 4 ? r.nextInt(2) : r.nextInt(4);
        switch (kind) {
            case 0: {
                byte[] b = new byte[r.nextInt(20)];
                r.nextBytes(b);
                return new BencodeValue.Bytes(b);
            }
            case 1:
                return new BencodeValue.Int(r.nextLong());
            case 2: {
                List<BencodeValue> items = new java.util.ArrayList<>();
                for (int i = r.nextInt(4); i > 0; i--) {
                    items.add(randomValue(r, depth + 1));
                }
                return new BencodeValue.ListValue(items);
            }
            default: {
                Map<String, BencodeValue> m = new java.util.HashMap<>();
                for (int i = r.nextInt(4); i > 0; i--) {
                    m.put("k" + r.nextInt(100), randomValue(r, depth + 1));
                }
                return new BencodeValue.Dict(m);
            }
        }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "''|unexpected end of input",
        "i12|unexpected end of input",
        "ie|integer without digits",
        "i-e|integer without digits",
        "i-0e|negative zero",
        "i03e|leading zero",
        "i1x2e|non-digit in integer",
        "i99999999999999999999e|integer too long",
        "5:abc|exceeds the remaining",
        "03:abc|leading zero",
        "3x:abc|non-digit in string length",
        "l1:a|unexpected end of input",
        "d1:ae|expected a value",
        "di1ei2ee|dictionary key is not a byte string",
        "d1:ai1e1:ai2ee|duplicate dictionary key 'a'",
        "i1ei2e|trailing bytes",
        "d1:ai1eex|trailing bytes",
        "x|unexpected byte 0x78",
        "l-1:ae|unexpected byte 0x2d",
    })
    void rejectsMalformedInputPrecisely(String input, String reason) {
        BencodeException e = assertThrows(BencodeException.class, () -> decoder.decode(ascii(input)));
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    @Test
    void boundsDepth() throws Exception {
        String ok = "l".repeat(32) + "e".repeat(32);
        decoder.decode(ascii(ok));
        String deep = "l".repeat(33) + "e".repeat(33);
        BencodeException e = assertThrows(BencodeException.class, () -> decoder.decode(ascii(deep)));
        assertTrue(e.getMessage().contains("nesting deeper than 32"), e.getMessage());
        assertEquals(32, e.offset());
    }

    @Test
    void boundsStringLengthBeforeReadingIt() {
        BencodeDecoder small = new BencodeDecoder(8, 10, 100);
        BencodeException e = assertThrows(BencodeException.class, () -> small.decode(ascii("11:hello world")));
        assertTrue(e.getMessage().contains("string longer than 10"), e.getMessage());
        BencodeException huge = assertThrows(BencodeException.class,
            () -> decoder.decode(ascii("99999999999999999999999:x")));
        assertTrue(huge.getMessage().contains("string longer than"), huge.getMessage());
    }

    @Test
    void boundsValueCount() {
        BencodeDecoder small = new BencodeDecoder(8, 10, 5);
        BencodeException e = assertThrows(BencodeException.class, () -> small.decode(ascii("li1ei2ei3ei4ei5ee")));
        assertTrue(e.getMessage().contains("too many values"), e.getMessage());
    }

    @Test
    void decodesARegionOfALargerArray() throws Exception {
        byte[] data = ascii("xxxxx d4:spam4:eggse");
        BencodeValue v = decoder.decode(data, 6, data.length - 6);
        assertEquals("eggs", ((BencodeValue.Dict) v).text("spam"));
        assertThrows(BencodeException.class, () -> decoder.decode(data, 10, 100));
    }

    @Test
    void randomGarbageOnlyEverThrowsBencodeException() {
        Random random = new Random(7);
        byte[] alphabet = ascii("dlie0123456789:-x");
        for (int i = 0; i < 20_000; i++) {
            byte[] b = new byte[random.nextInt(24)];
            for (int j = 0; j < b.length; j++) {
                b[j] = alphabet[random.nextInt(alphabet.length)];
            }
            try {
                decoder.decode(b);
            } catch (BencodeException expected) {
                // the only permitted failure
            }
        }
    }
}
