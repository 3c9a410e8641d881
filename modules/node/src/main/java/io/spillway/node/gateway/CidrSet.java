package io.spillway.node.gateway;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeMap;

/**
 * An immutable set of networks with a lookup that allocates nothing for IPv4 sources and takes no
 * lock: the networks are grouped by prefix length; for each distinct length the masked network
 * addresses sit in a sorted array, so a lookup is one mask and one binary search per distinct length
 * (typically a handful). IPv4 networks and addresses live in the IPv4-mapped IPv6 space, so the two
 * forms of an IPv4 client match alike.
 *
 * <p>For an IPv6 source the JDK's {@link InetAddress#getAddress()} returns a fresh 16-byte copy (there
 * is no other public accessor); callers on a hot path that hold the raw bytes use
 * {@link #contains(long, long)}.
 */
public final class CidrSet {
    /** The empty set. */
    public static final CidrSet EMPTY = new CidrSet(List.of());

    private final List<Cidr> networks;
    private final long[] maskHi;
    private final long[] maskLo;
    private final long[][] keysHi;
    private final long[][] keysLo;

    private CidrSet(List<Cidr> networks) {
        this.networks = List.copyOf(networks);
        // longest prefix first, so the most specific group is probed first; order does not change the answer
        TreeMap<Integer, List<Cidr>> byLength = new TreeMap<>((a, b) -> Integer.compare(b, a));
        for (Cidr c : networks) {
            byLength.computeIfAbsent(c.prefixLength(), k -> new ArrayList<>()).add(c);
        }
        int n = byLength.size();
        maskHi = new long[n];
        maskLo = new long[n];
        keysHi = new long[n][];
        keysLo = new long[n][];
        int i = 0;
        for (var e : byLength.entrySet()) {
            maskHi[i] = Cidr.maskHi(e.getKey());
            maskLo[i] = Cidr.maskLo(e.getKey());
            List<Cidr> group = new ArrayList<>(e.getValue());
            group.sort((a, b) -> compare(a.hi(), a.lo(), b.hi(), b.lo()));
            long[] h = new long[group.size()];
            long[] l = new long[group.size()];
            int k = 0;
            for (int j = 0; j < group.size(); j++) {
                Cidr c = group.get(j);
                if (k > 0 && h[k - 1] == c.hi() && l[k - 1] == c.lo()) {
                    continue;
                }
                h[k] = c.hi();
                l[k] = c.lo();
                k++;
            }
            keysHi[i] = java.util.Arrays.copyOf(h, k);
            keysLo[i] = java.util.Arrays.copyOf(l, k);
            i++;
        }
    }

    /** A set of the given networks. */
    public static CidrSet of(Collection<Cidr> networks) {
        return networks.isEmpty() ? EMPTY : new CidrSet(new ArrayList<>(networks));
    }

    /**
     * Parses each entry with {@link Cidr#parse}.
     *
     * @throws IllegalArgumentException naming the first bad entry
     */
    public static CidrSet parse(Collection<String> networks) {
        List<Cidr> out = new ArrayList<>(networks.size());
        for (String s : networks) {
            out.add(Cidr.parse(s));
        }
        return of(out);
    }

    /** Convenience for tests and defaults: {@code CidrSet.parse("127.0.0.0/8", "::1")}. */
    public static CidrSet parse(String... networks) {
        return parse(List.of(networks));
    }

    public boolean isEmpty() {
        return networks.isEmpty();
    }

    /** The networks, as configured. */
    public List<Cidr> networks() {
        return networks;
    }

    /** True when the address lies in one of the networks; false for null (unresolved). */
    public boolean contains(InetSocketAddress address) {
        return address != null && contains(address.getAddress());
    }

    /** True when the address lies in one of the networks; false for null. */
    public boolean contains(InetAddress address) {
        if (address == null || keysHi.length == 0) {
            return false;
        }
        if (address instanceof Inet4Address v4) {
            return contains(Cidr.MAPPED_HI, Cidr.MAPPED_LO_PREFIX | (Cidr.ipv4Bits(v4) & 0xffff_ffffL));
        }
        byte[] b = address.getAddress();
        return contains(Cidr.toLong(b, 0), Cidr.toLong(b, 8));
    }

    /** True when the 128-bit address {@code hi:lo} (IPv4 in mapped form) lies in one of the networks. */
    public boolean contains(long hi, long lo) {
        for (int i = 0; i < keysHi.length; i++) {
            if (search(keysHi[i], keysLo[i], hi & maskHi[i], lo & maskLo[i])) {
                return true;
            }
        }
        return false;
    }

    private static boolean search(long[] hs, long[] ls, long hi, long lo) {
        int low = 0;
        int high = hs.length - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            int c = compare(hs[mid], ls[mid], hi, lo);
            if (c < 0) {
                low = mid + 1;
            } else if (c > 0) {
                high = mid - 1;
            } else {
                return true;
            }
        }
        return false;
    }

    private static int compare(long h1, long l1, long h2, long l2) {
        int c = Long.compareUnsigned(h1, h2);
        return c != 0 ? c : Long.compareUnsigned(l1, l2);
    }

    /** Writes the 128-bit form of {@code address} into {@code out[0..1]}. */
    static void words(InetAddress address, long[] out) {
        if (address instanceof Inet4Address v4) {
            out[0] = Cidr.MAPPED_HI;
            out[1] = Cidr.MAPPED_LO_PREFIX | (Cidr.ipv4Bits(v4) & 0xffff_ffffL);
        } else {
            byte[] b = address.getAddress();
            out[0] = Cidr.toLong(b, 0);
            out[1] = Cidr.toLong(b, 8);
        }
    }

    @Override
    public String toString() {
        return networks.toString();
    }
}
