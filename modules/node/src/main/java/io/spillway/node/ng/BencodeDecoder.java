package io.spillway.node.ng;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict, bounded bencode decoder (BEP 3 grammar, the encoding of rtpengine's ng protocol).
 *
 * <pre>
 *   value   = string / integer / list / dict
 *   string  = length ":" *OCTET          ; length = "0" / %x31-39 *DIGIT, exactly length octets
 *   integer = "i" ( "0" / ["-"] %x31-39 *DIGIT ) "e"   ; no leading zeros, no "-0"
 *   list    = "l" *value "e"
 *   dict    = "d" *( string value ) "e"  ; keys unique; any order accepted (clients do not sort)
 * </pre>
 *
 * <p>Bounded: nesting depth, byte-string length and total value count are capped, integers must fit
 * a signed 64-bit long, and the whole input must be consumed (trailing bytes are an error). Every
 * failure is a {@link BencodeException} naming the rule and the offset; nothing else escapes.
 * Instances are immutable and thread-safe.
 */
public final class BencodeDecoder {
    /** Default maximum nesting depth of lists and dictionaries. */
    public static final int DEFAULT_MAX_DEPTH = 32;
    /** Default maximum length of one byte string (an ng SDP fits well within one datagram). */
    public static final int DEFAULT_MAX_STRING_LENGTH = 65_535;
    /** Default maximum number of values in one document. */
    public static final int DEFAULT_MAX_VALUES = 16_384;

    private static final int MAX_LONG_DIGITS = 19;

    private final int maxDepth;
    private final int maxStringLength;
    private final int maxValues;

    /** A decoder with the default limits. */
    public BencodeDecoder() {
        this(DEFAULT_MAX_DEPTH, DEFAULT_MAX_STRING_LENGTH, DEFAULT_MAX_VALUES);
    }

    /** A decoder with explicit limits, each at least 1. */
    public BencodeDecoder(int maxDepth, int maxStringLength, int maxValues) {
        if (maxDepth < 1 || maxStringLength < 1 || maxValues < 1) {
            throw new IllegalArgumentException("bencode limits must be >= 1");
        }
        this.maxDepth = maxDepth;
        this.maxStringLength = maxStringLength;
        this.maxValues = maxValues;
    }

    /** Decodes exactly one value spanning all of {@code data}. */
    public BencodeValue decode(byte[] data) throws BencodeException {
        return decode(data, 0, data.length);
    }

    /** Decodes exactly one value spanning {@code data[offset, offset + length)}. */
    public BencodeValue decode(byte[] data, int offset, int length) throws BencodeException {
        if (offset < 0 || length < 0 || offset > data.length - length) {
            throw new BencodeException("region out of bounds", 0);
        }
        Cursor c = new Cursor(data, offset, offset + length);
        BencodeValue value = expectValue(c, 0);
        if (c.pos != c.end) {
            throw fail("trailing bytes after value", c);
        }
        return value;
    }

    private BencodeValue expectValue(Cursor c, int depth) throws BencodeException {
        if (++c.values > maxValues) {
            throw fail("too many values (max " + maxValues + ")", c);
        }
        byte b = c.peek();
        switch (b) {
            case 'i':
                return expectInteger(c);
            case 'l':
                return expectList(c, depth + 1);
            case 'd':
                return expectDict(c, depth + 1);
            default:
                if (b >= '0' && b <= '9') {
                    return new BencodeValue.Bytes(expectString(c));
                }
                throw fail("unexpected byte 0x" + Integer.toHexString(b & 0xff) + ", expected a value", c);
        }
    }

    /** {@code integer = "i" ( "0" / ["-"] %x31-39 *DIGIT ) "e"}. */
    private BencodeValue.Int expectInteger(Cursor c) throws BencodeException {
        c.pos++; // 'i'
        boolean negative = false;
        if (c.peek() == '-') {
            negative = true;
            c.pos++;
        }
        int digitsStart = c.pos;
        long magnitude = 0;
        while (true) {
            byte b = c.peek();
            if (b == 'e') {
                break;
            }
            if (b < '0' || b > '9') {
                throw fail("non-digit in integer", c);
            }
            if (c.pos - digitsStart >= MAX_LONG_DIGITS) {
                throw fail("integer too long", c);
            }
            magnitude = magnitude * 10 + (b - '0');
            c.pos++;
        }
        int digits = c.pos - digitsStart;
        if (digits == 0) {
            throw fail("integer without digits", c);
        }
        if (c.data[digitsStart] == '0' && digits > 1) {
            throw failAt("integer with a leading zero", digitsStart, c);
        }
        if (negative && magnitude == 0) {
            throw failAt("negative zero", digitsStart, c);
        }
        c.pos++; // 'e'
        return new BencodeValue.Int(negative ? -magnitude : magnitude);
    }

    /** {@code string = length ":" *OCTET}, {@code length = "0" / %x31-39 *DIGIT}. */
    private byte[] expectString(Cursor c) throws BencodeException {
        int digitsStart = c.pos;
        long length = 0;
        while (true) {
            byte b = c.peek();
            if (b == ':') {
                break;
            }
            if (b < '0' || b > '9') {
                throw fail("non-digit in string length", c);
            }
            length = length * 10 + (b - '0');
            if (length > maxStringLength) {
                throw failAt("string longer than " + maxStringLength + " bytes", digitsStart, c);
            }
            c.pos++;
        }
        if (c.data[digitsStart] == '0' && c.pos - digitsStart > 1) {
            throw failAt("string length with a leading zero", digitsStart, c);
        }
        c.pos++; // ':'
        if (length > c.end - c.pos) {
            throw failAt("string length " + length + " exceeds the remaining " + (c.end - c.pos) + " bytes",
                digitsStart, c);
        }
        byte[] raw = Arrays.copyOfRange(c.data, c.pos, c.pos + (int) length);
        c.pos += (int) length;
        return raw;
    }

    private BencodeValue.ListValue expectList(Cursor c, int depth) throws BencodeException {
        if (depth > maxDepth) {
            throw fail("nesting deeper than " + maxDepth, c);
        }
        c.pos++; // 'l'
        List<BencodeValue> items = new ArrayList<>();
        while (c.peek() != 'e') {
            items.add(expectValue(c, depth));
        }
        c.pos++;
        return new BencodeValue.ListValue(items);
    }

    private BencodeValue.Dict expectDict(Cursor c, int depth) throws BencodeException {
        if (depth > maxDepth) {
            throw fail("nesting deeper than " + maxDepth, c);
        }
        c.pos++; // 'd'
        Map<String, BencodeValue> entries = new LinkedHashMap<>();
        while (c.peek() != 'e') {
            byte b = c.peek();
            if (b < '0' || b > '9') {
                throw fail("dictionary key is not a byte string", c);
            }
            int keyOffset = c.pos;
            if (++c.values > maxValues) {
                throw fail("too many values (max " + maxValues + ")", c);
            }
            String key = new BencodeValue.Bytes(expectString(c)).text();
            BencodeValue value = expectValue(c, depth);
            if (entries.putIfAbsent(key, value) != null) {
                throw failAt("duplicate dictionary key '" + key + "'", keyOffset, c);
            }
        }
        c.pos++;
        return new BencodeValue.Dict(entries);
    }

    private static BencodeException fail(String reason, Cursor c) {
        return new BencodeException(reason, c.pos - c.start);
    }

    private static BencodeException failAt(String reason, int absolute, Cursor c) {
        return new BencodeException(reason, absolute - c.start);
    }

    /** Read position over the input region; one per decode call. */
    private static final class Cursor {
        final byte[] data;
        final int start;
        final int end;
        int pos;
        int values;

        Cursor(byte[] data, int start, int end) {
            this.data = data;
            this.start = start;
            this.end = end;
            this.pos = start;
        }

        byte peek() throws BencodeException {
            if (pos >= end) {
                throw new BencodeException("unexpected end of input", pos - start);
            }
            return data[pos];
        }
    }
}
