package io.spillway.node.gateway;

import io.netty.util.NetUtil;
import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * One network in CIDR notation ({@code 192.0.2.0/24}, {@code 2001:db8::/32}, or a bare address meaning
 * a single host), held as a 128-bit prefix and mask. IPv4 networks are stored in their IPv4-mapped IPv6
 * form ({@code ::ffff:0:0/96}), so an IPv4 client seen on a dual-stack socket as
 * {@code ::ffff:192.0.2.1} matches {@code 192.0.2.0/24}.
 *
 * @param hi           high 64 bits of the network address (host bits cleared)
 * @param lo           low 64 bits of the network address (host bits cleared)
 * @param prefixLength prefix length in the 128-bit space (an IPv4 /24 is 120)
 * @param text         the network as the operator wrote it, normalised
 */
public record Cidr(long hi, long lo, int prefixLength, String text) {
    /** The high 64 bits of an IPv4-mapped address: {@code ::ffff:a.b.c.d} has 0 there. */
    static final long MAPPED_HI = 0L;
    /** The low 64 bits' upper half of an IPv4-mapped address: {@code 0000:ffff}. */
    static final long MAPPED_LO_PREFIX = 0x0000_ffffL << 32;

    /** True when {@link #parse} would accept {@code text}. */
    public static boolean isValid(String text) {
        try {
            parse(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * Parses {@code address[/prefix]}; IPv4 prefixes are 0-32, IPv6 0-128; host bits set below the
     * prefix are rejected (a typo such as {@code 10.0.0.1/8} is more likely than intent).
     *
     * @throws IllegalArgumentException with a precise reason
     */
    public static Cidr parse(String text) {
        String t = text.trim();
        int slash = t.indexOf('/');
        String addressText = slash < 0 ? t : t.substring(0, slash);
        byte[] bytes = NetUtil.createByteArrayFromIpAddressString(addressText);
        if (bytes == null) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv4 or IPv6 network (address[/prefix])");
        }
        int maxPrefix = bytes.length * 8;
        int prefix = maxPrefix;
        if (slash >= 0) {
            String p = t.substring(slash + 1);
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new IllegalArgumentException("'" + text + "' has a bad prefix length");
            }
            prefix = Integer.parseInt(p);
            if (prefix > maxPrefix) {
                throw new IllegalArgumentException("'" + text + "' prefix length is above " + maxPrefix);
            }
        }
        long hi;
        long lo;
        int prefix128;
        if (bytes.length == 4) {
            hi = MAPPED_HI;
            lo = MAPPED_LO_PREFIX | (toInt(bytes, 0) & 0xffff_ffffL);
            prefix128 = 96 + prefix;
        } else {
            hi = toLong(bytes, 0);
            lo = toLong(bytes, 8);
            prefix128 = prefix;
        }
        long maskHi = maskHi(prefix128);
        long maskLo = maskLo(prefix128);
        if ((hi & ~maskHi) != 0 || (lo & ~maskLo) != 0) {
            throw new IllegalArgumentException("'" + text + "' has host bits set below the /" + prefix
                + " prefix (did you mean the network address?)");
        }
        String normal = (bytes.length == 4 ? addressText : NetUtil.bytesToIpAddress(bytes)) + "/" + prefix;
        return new Cidr(hi, lo, prefix128, normal);
    }

    /** Mask of the high 64 bits for a 128-bit prefix length. */
    static long maskHi(int prefix128) {
        return prefix128 <= 0 ? 0L : prefix128 >= 64 ? -1L : -1L << (64 - prefix128);
    }

    /** Mask of the low 64 bits for a 128-bit prefix length. */
    static long maskLo(int prefix128) {
        return prefix128 <= 64 ? 0L : prefix128 >= 128 ? -1L : -1L << (128 - prefix128);
    }

    /** True when {@code address} lies in this network (allocates for IPv6, see {@link CidrSet}). */
    public boolean contains(InetAddress address) {
        long[] w = new long[2];
        CidrSet.words(address, w);
        return (w[0] & maskHi(prefixLength)) == hi && (w[1] & maskLo(prefixLength)) == lo;
    }

    /** True for an IPv4 network (stored mapped). */
    public boolean isIpv4() {
        return prefixLength >= 96 && hi == MAPPED_HI && (lo >>> 32) == 0xffffL;
    }

    static int toInt(byte[] b, int off) {
        return (b[off] & 0xff) << 24 | (b[off + 1] & 0xff) << 16 | (b[off + 2] & 0xff) << 8 | (b[off + 3] & 0xff);
    }

    static long toLong(byte[] b, int off) {
        return (toInt(b, off) & 0xffff_ffffL) << 32 | (toInt(b, off + 4) & 0xffff_ffffL);
    }

    /** The IPv4 address as an int without allocating: {@link Inet4Address#hashCode()} is the address. */
    static int ipv4Bits(Inet4Address a) {
        return a.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}
