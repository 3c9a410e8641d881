package io.spillway.node.ng;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class NgReplyCacheTableTest {
    private final AtomicLong nowNs = new AtomicLong(Long.MAX_VALUE - 5_000_000_000L); // wraps during the test
    private final InetSocketAddress a = new InetSocketAddress("127.0.0.1", 5000);
    private final InetSocketAddress b = new InetSocketAddress("127.0.0.1", 5001);

    @Test
    void answersTheSameCookieFromTheSameSourceOnlyWithinTheWindow() {
        NgReplyCacheTable table = new NgReplyCacheTable(30_000, 10, nowNs::get);
        table.put(a, "c1", new byte[] {1, 2});
        assertArrayEquals(new byte[] {1, 2}, table.get(a, "c1"));
        assertNull(table.get(b, "c1"), "another source with the same cookie is a new request");
        assertNull(table.get(a, "c2"));
        nowNs.addAndGet(29_999_000_000L);
        assertArrayEquals(new byte[] {1, 2}, table.get(a, "c1"));
        nowNs.addAndGet(1_000_000L);
        assertNull(table.get(a, "c1"));
        assertEquals(0, table.size());
    }

    @Test
    void evictsTheOldestWhenFull() {
        NgReplyCacheTable table = new NgReplyCacheTable(30_000, 3, nowNs::get);
        for (int i = 0; i < 5; i++) {
            table.put(a, "c" + i, new byte[] {(byte) i});
            nowNs.addAndGet(1_000_000L);
        }
        assertEquals(3, table.size());
        assertNull(table.get(a, "c0"));
        assertNull(table.get(a, "c1"));
        assertArrayEquals(new byte[] {4}, table.get(a, "c4"));
    }
}
