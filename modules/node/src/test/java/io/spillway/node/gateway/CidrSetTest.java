package io.spillway.node.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CidrSetTest {
    private static InetAddress ip(String s) throws UnknownHostException {
        return InetAddress.getByName(s);
    }

    /** An IPv4-mapped IPv6 address kept as an Inet6Address (the JDK turns a parsed one into Inet4Address). */
    private static InetAddress mapped(int a, int b, int c, int d) throws UnknownHostException {
        byte[] bytes = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) a, (byte) b, (byte) c, (byte) d};
        return java.net.Inet6Address.getByAddress(null, bytes, -1);
    }

    @Test
    void ipv4NetworksMatchTheirAddressesOnly() throws Exception {
        CidrSet s = CidrSet.parse("192.0.2.0/24", "198.51.100.7");
        assertTrue(s.contains(ip("192.0.2.0")));
        assertTrue(s.contains(ip("192.0.2.255")));
        assertFalse(s.contains(ip("192.0.3.0")));
        assertFalse(s.contains(ip("192.0.1.255")));
        assertTrue(s.contains(ip("198.51.100.7")));
        assertFalse(s.contains(ip("198.51.100.6")));
        assertFalse(s.contains(ip("198.51.100.8")));
    }

    @Test
    void edgesSlash0Slash32Slash128() throws Exception {
        CidrSet all4 = CidrSet.parse("0.0.0.0/0");
        assertTrue(all4.contains(ip("255.255.255.255")));
        assertTrue(all4.contains(ip("0.0.0.0")));
        assertFalse(all4.contains(ip("2001:db8::1")), "an IPv4 /0 covers IPv4 only");
        CidrSet all6 = CidrSet.parse("::/0");
        assertTrue(all6.contains(ip("2001:db8::1")));
        assertTrue(all6.contains(ip("10.1.2.3")), "::/0 covers the mapped IPv4 space too");
        CidrSet host32 = CidrSet.parse("10.0.0.1/32");
        assertTrue(host32.contains(ip("10.0.0.1")));
        assertFalse(host32.contains(ip("10.0.0.0")));
        assertFalse(host32.contains(ip("10.0.0.2")));
        CidrSet host128 = CidrSet.parse("2001:db8::1/128");
        assertTrue(host128.contains(ip("2001:db8::1")));
        assertFalse(host128.contains(ip("2001:db8::2")));
        assertFalse(host128.contains(ip("2001:db8::")));
        CidrSet loop = CidrSet.parse("::1");
        assertTrue(loop.contains(ip("::1")));
        assertFalse(loop.contains(ip("127.0.0.1")));
    }

    @Test
    void ipv6PrefixesAcrossTheWordBoundary() throws Exception {
        CidrSet s = CidrSet.parse("2001:db8:0:1::/64", "2001:db8:ff00::/40", "2001:db8:0:2:8000::/65");
        assertTrue(s.contains(ip("2001:db8:0:1:ffff:ffff:ffff:ffff")));
        assertFalse(s.contains(ip("2001:db8:0:3::1")));
        assertTrue(s.contains(ip("2001:db8:ff12::9")));
        assertFalse(s.contains(ip("2001:db8:fe00::")));
        assertTrue(s.contains(ip("2001:db8:0:2:8000::1")));
        assertFalse(s.contains(ip("2001:db8:0:2:7fff::1")));
    }

    @Test
    void ipv4MappedSourcesMatchIpv4Networks() throws Exception {
        CidrSet s = CidrSet.parse("192.0.2.0/24");
        InetAddress m = mapped(192, 0, 2, 10);
        assertTrue(m instanceof java.net.Inet6Address);
        assertTrue(s.contains(m));
        assertFalse(s.contains(mapped(192, 0, 3, 10)));
        CidrSet v6form = CidrSet.parse("::ffff:192.0.2.0/120");
        assertTrue(v6form.contains(ip("192.0.2.77")), "a mapped network written in IPv6 form matches IPv4 sources");
        assertTrue(v6form.contains(m));
    }

    @Test
    void socketAddressAndNullAndEmpty() throws Exception {
        CidrSet s = CidrSet.parse("127.0.0.0/8");
        assertTrue(s.contains(new InetSocketAddress(ip("127.0.0.2"), 5060)));
        assertFalse(s.contains(InetSocketAddress.createUnresolved("example.invalid", 5060)));
        assertFalse(s.contains((InetAddress) null));
        assertFalse(CidrSet.EMPTY.contains(ip("127.0.0.1")));
        assertTrue(CidrSet.EMPTY.isEmpty());
    }

    @Test
    void badNetworksAreRejectedPrecisely() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Cidr.parse("10.0.0.1/8")).getMessage()
            .contains("host bits"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Cidr.parse("10.0.0.0/33")).getMessage()
            .contains("above 32"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Cidr.parse("::/129")).getMessage()
            .contains("above 128"));
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse("example.com"));
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse("10.0.0.0/"));
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse("10.0.0.0/-1"));
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse("10.0.0.0/8/8"));
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse("300.0.0.0/8"));
        assertEquals("2001:db8::/32", Cidr.parse("2001:0db8:0000::/32").text());
    }

    @Test
    void duplicatesAndManyNetworksAgreeWithALinearScan() throws Exception {
        java.util.Random r = new java.util.Random(7);
        java.util.List<Cidr> nets = new java.util.ArrayList<>();
        for (int i = 0; i < 300; i++) {
            int len = 8 + r.nextInt(25);
            int addr = r.nextInt() & (int) (0xffff_ffffL << (32 - len));
            nets.add(Cidr.parse(InetAddress.getByAddress(java.nio.ByteBuffer.allocate(4).putInt(addr).array())
                .getHostAddress() + "/" + len));
        }
        nets.addAll(nets.subList(0, 20));
        CidrSet set = CidrSet.of(nets);
        int hits = 0;
        for (int i = 0; i < 20_000; i++) {
            InetAddress a = InetAddress.getByAddress(java.nio.ByteBuffer.allocate(4).putInt(r.nextInt()).array());
            boolean linear = nets.stream().anyMatch(c -> c.contains(a));
            assertEquals(linear, set.contains(a), a.toString());
            hits += linear ? 1 : 0;
        }
        assertTrue(hits > 0, "the random networks should cover some addresses");
    }

    @Test
    void ipv4LookupAllocatesNothing() throws Exception {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        CidrSet s = CidrSet.parse("10.0.0.0/8", "192.0.2.0/24", "2001:db8::/32", "198.51.100.1");
        InetAddress[] probes = {ip("10.9.8.7"), ip("192.0.2.1"), ip("203.0.113.5"), ip("198.51.100.1")};
        int hits = 0;
        for (int i = 0; i < 200_000; i++) { // warm up so the JIT compiles the lookup
            hits += s.contains(probes[i & 3]) ? 1 : 0;
        }
        long tid = Thread.currentThread().getId();
        long before = mx.getThreadAllocatedBytes(tid);
        for (int i = 0; i < 100_000; i++) {
            hits += s.contains(probes[i & 3]) ? 1 : 0;
        }
        long allocated = mx.getThreadAllocatedBytes(tid) - before;
        assertTrue(hits > 0);
        // the measuring call itself may allocate a little; 100k lookups allocating anything would be >= 1.6 MB
        assertTrue(allocated < 10_000, "allocated " + allocated + " bytes over 100k IPv4 lookups");
    }
}
