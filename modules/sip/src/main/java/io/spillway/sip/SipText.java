package io.spillway.sip;

import java.nio.charset.StandardCharsets;

/** Character classes and small byte-level helpers shared by the SIP parsers. */
final class SipText {
    private static final boolean[] TOKEN = new boolean[128];

    static {
        for (char c = 'a'; c <= 'z'; c++) {
            TOKEN[c] = true;
            TOKEN[c - 32] = true;
        }
        for (char c = '0'; c <= '9'; c++) {
            TOKEN[c] = true;
        }
        for (char c : "-.!%*_+`'~".toCharArray()) {
            TOKEN[c] = true;
        }
    }

    private SipText() {
    }

    /** RFC 3261 25.1: token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~"). */
    static boolean isToken(int c) {
        return c >= 0 && c < 128 && TOKEN[c];
    }

    static boolean isToken(CharSequence s) {
        if (s.length() == 0) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (!isToken(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** Linear white space as it appears inside a (possibly folded) header value. */
    static boolean isLws(int c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    /** The value bytes as a String, folded line ends and their white space collapsed to one SP. */
    static String unfold(byte[] b, int start, int end) {
        boolean folded = false;
        for (int i = start; i < end; i++) {
            if (b[i] == '\r' || b[i] == '\n') {
                folded = true;
                break;
            }
        }
        if (!folded) {
            return new String(b, start, end - start, StandardCharsets.UTF_8);
        }
        byte[] out = new byte[end - start];
        int n = 0;
        int i = start;
        while (i < end) {
            byte c = b[i];
            if (c == '\r' || c == '\n') {
                while (n > 0 && (out[n - 1] == ' ' || out[n - 1] == '\t')) {
                    n--;
                }
                while (i < end && isLws(b[i])) {
                    i++;
                }
                out[n++] = ' ';
                continue;
            }
            out[n++] = c;
            i++;
        }
        return new String(out, 0, n, StandardCharsets.UTF_8);
    }

    static boolean regionEqualsIgnoreCase(byte[] b, int start, int end, byte[] lower) {
        if (end - start != lower.length) {
            return false;
        }
        for (int i = 0; i < lower.length; i++) {
            int c = b[start + i];
            if (c >= 'A' && c <= 'Z') {
                c += 32;
            }
            if (c != lower[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Finds a parameter in a header value without building objects: scans {@code b[start,end)}
     * for {@code ;name[=value]} outside quotes and angle brackets, stopping at the first top-level
     * comma when {@code firstValueOnly}. Returns the value (unquoted), "" for a flag parameter, or
     * null when absent.
     */
    static String findParam(byte[] b, int start, int end, byte[] lowerName, boolean firstValueOnly) {
        boolean quoted = false;
        int angle = 0;
        for (int i = start; i < end; i++) {
            byte c = b[i];
            if (quoted) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    quoted = false;
                }
                continue;
            }
            if (c == '"') {
                quoted = true;
            } else if (c == '<') {
                angle++;
            } else if (c == '>') {
                angle--;
            } else if (angle == 0 && c == ',' && firstValueOnly) {
                return null;
            } else if (angle == 0 && c == ';') {
                int ns = i + 1;
                while (ns < end && isLws(b[ns])) {
                    ns++;
                }
                int ne = ns;
                while (ne < end && isToken(b[ne])) {
                    ne++;
                }
                if (!regionEqualsIgnoreCase(b, ns, ne, lowerName)) {
                    continue;
                }
                int j = ne;
                while (j < end && isLws(b[j])) {
                    j++;
                }
                if (j >= end || b[j] != '=') {
                    return "";
                }
                j++;
                while (j < end && isLws(b[j])) {
                    j++;
                }
                if (j < end && b[j] == '"') {
                    int qs = ++j;
                    while (j < end && b[j] != '"') {
                        j += b[j] == '\\' ? 2 : 1;
                    }
                    return new String(b, qs, Math.min(j, end) - qs, StandardCharsets.UTF_8);
                }
                int vs = j;
                while (j < end && b[j] != ';' && b[j] != ',' && b[j] != '>' && !isLws(b[j])) {
                    j++;
                }
                return new String(b, vs, j - vs, StandardCharsets.ISO_8859_1);
            }
        }
        return null;
    }

    /** Index of the first top-level comma in {@code b[start,end)} (outside quotes and {@code <>}), or -1. */
    static int topLevelComma(byte[] b, int start, int end) {
        boolean quoted = false;
        int angle = 0;
        for (int i = start; i < end; i++) {
            byte c = b[i];
            if (quoted) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    quoted = false;
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == '<') {
                angle++;
            } else if (c == '>') {
                angle--;
            } else if (c == ',' && angle <= 0) {
                return i;
            }
        }
        return -1;
    }
}
