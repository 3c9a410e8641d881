package io.spillway.node.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SourceRateTableTest {
    private static final long MS = 1_000_000L;
    private final AtomicLong now = new AtomicLong(5_000 * MS);

    @Test
    void burstThenSustainedRatePerSource() throws Exception {
        SourceRateTable t = new SourceRateTable(10, 5, 100, 60_000 * MS, now::get);
        InetAddress a = InetAddress.getByName("192.0.2.1");
        InetAddress b = InetAddress.getByName("192.0.2.2");
        for (int i = 0; i < 5; i++) {
            assertTrue(t.tryAcquire(a), "burst request " + i);
        }
        assertFalse(t.tryAcquire(a), "the sixth at the same instant exceeds the burst");
        assertTrue(t.tryAcquire(b), "another source has its own bucket");
        now.addAndGet(100 * MS);
        assertTrue(t.tryAcquire(a), "one token refills every 1/rate");
        assertFalse(t.tryAcquire(a));
        now.addAndGet(10_000 * MS);
        int granted = 0;
        for (int i = 0; i < 100; i++) {
            granted += t.tryAcquire(a) ? 1 : 0;
        }
        assertEquals(5, granted, "a long quiet period refills no more than the burst");
        // a steady 10/s is always admitted
        for (int i = 0; i < 50; i++) {
            now.addAndGet(100 * MS);
            assertTrue(t.tryAcquire(b), "steady request " + i);
        }
    }

    @Test
    void ipv6SourcesShareTheirSlash64AndMappedIpv4MatchesPlain() throws Exception {
        assertEquals(SourceRateTable.keyOf(InetAddress.getByName("2001:db8:1:2::1")),
            SourceRateTable.keyOf(InetAddress.getByName("2001:db8:1:2:ffff::9")));
        assertNotEquals(SourceRateTable.keyOf(InetAddress.getByName("2001:db8:1:2::1")),
            SourceRateTable.keyOf(InetAddress.getByName("2001:db8:1:3::1")));
        byte[] m = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) 192, 0, 2, 1};
        assertEquals(SourceRateTable.keyOf(InetAddress.getByName("192.0.2.1")),
            SourceRateTable.keyOf(java.net.Inet6Address.getByAddress(null, m, -1)));
    }

    @Test
    void tableIsBoundedAndNewSourcesShareTheOverflowBucketWhenFull() throws Exception {
        SourceRateTable t = new SourceRateTable(1, 2, 16, 1_000 * MS, now::get);
        for (int i = 0; i < 16; i++) {
            assertTrue(t.tryAcquire(InetAddress.getByAddress(new byte[] {10, 0, 0, (byte) i})));
        }
        int granted = 0;
        for (int i = 16; i < 200; i++) {
            granted += t.tryAcquire(InetAddress.getByAddress(new byte[] {10, 0, 0, (byte) i})) ? 1 : 0;
        }
        assertEquals(16, t.size());
        assertEquals(2, granted, "184 new sources shared one bucket of burst 2");
        now.addAndGet(1_001 * MS);
        assertTrue(t.tryAcquire(InetAddress.getByName("192.0.2.1")), "idle buckets are evicted to make room");
        assertTrue(t.isTracked(InetAddress.getByName("192.0.2.1")));
        assertTrue(t.evicted() >= 16);
    }

    @Test
    void knownSourceAllocatesNothing() throws Exception {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        SourceRateTable t = new SourceRateTable(1_000_000, 1_000_000, 100, 60_000 * MS, System::nanoTime);
        InetAddress a = InetAddress.getByName("192.0.2.1");
        long ok = 0;
        for (int i = 0; i < 200_000; i++) {
            ok += t.tryAcquire(a) ? 1 : 0;
        }
        long tid = Thread.currentThread().getId();
        long before = mx.getThreadAllocatedBytes(tid);
        for (int i = 0; i < 100_000; i++) {
            ok += t.tryAcquire(a) ? 1 : 0;
        }
        long allocated = mx.getThreadAllocatedBytes(tid) - before;
        assertTrue(ok > 0);
        assertTrue(allocated < 10_000, "allocated " + allocated + " bytes over 100k acquisitions");
    }

    @Test
    void concurrentTakersNeverExceedTheBucket() throws Exception {
        // a frozen clock: exactly `burst` tokens exist, however many threads race for them
        SourceRateTable t = new SourceRateTable(1, 1000, 100, 60_000 * MS, now::get);
        InetAddress a = InetAddress.getByName("192.0.2.1");
        AtomicLong granted = new AtomicLong();
        int threads = 4;
        CountDownLatch start = new CountDownLatch(1);
        Thread[] ts = new Thread[threads];
        for (int k = 0; k < threads; k++) {
            ts[k] = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < 50_000; i++) {
                    if (t.tryAcquire(a)) {
                        granted.incrementAndGet();
                    }
                }
            });
            ts[k].start();
        }
        start.countDown();
        for (Thread th : ts) {
            th.join(30_000);
        }
        assertEquals(1000, granted.get());
    }
}
