package io.spillway.media.port;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PortPairAllocatorTest {
    @Test
    void pairsAreEvenOddInsideTheRange() {
        PortPairAllocator ports = new PortPairAllocator("test", 30001, 30010, 0);
        assertEquals(4, ports.pairCount(), "30002-30009: odd start rounds up, lone 30010 unused");
        for (int i = 0; i < 4; i++) {
            int pair = ports.acquire(0);
            assertEquals(0, ports.rtpPort(pair) % 2);
            assertEquals(ports.rtpPort(pair) + 1, ports.rtcpPort(pair));
            assertTrue(ports.rtpPort(pair) >= 30002 && ports.rtcpPort(pair) <= 30009);
        }
        PortRangeExhaustedException e = assertThrows(PortRangeExhaustedException.class, () -> ports.acquire(0));
        assertEquals("no free RTP/RTCP port pair on test in 30002-30009: 4 pairs, 4 in use, 0 quarantined"
            + " (quarantine 0 ms)", e.getMessage());
        assertEquals(1, ports.exhaustions());
    }

    @Test
    void quarantineIsWrapSafeAroundTheClock() {
        PortPairAllocator ports = new PortPairAllocator("test", 40000, 40001, 1000);
        long now = Long.MAX_VALUE - 500_000_000L;
        int pair = ports.acquire(now);
        ports.release(pair, now);
        assertEquals(1, ports.pairsQuarantined(now + 999_999_999L));
        assertThrows(PortRangeExhaustedException.class, () -> ports.acquire(now + 999_999_999L));
        assertEquals(pair, ports.acquire(now + 1_000_000_000L), "usable again across the long wrap");
    }

    @Test
    void concurrentAcquireNeverHandsOutAPairTwice() throws Exception {
        PortPairAllocator ports = new PortPairAllocator("test", 30000, 30199, 0);
        AtomicIntegerArray owners = new AtomicIntegerArray(ports.pairCount());
        AtomicReference<String> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread thread = new Thread(() -> {
                for (int i = 0; i < 20_000; i++) {
                    int pair;
                    try {
                        pair = ports.acquire(0);
                    } catch (PortRangeExhaustedException e) {
                        continue;
                    }
                    if (!owners.compareAndSet(pair, 0, 1)) {
                        failure.compareAndSet(null, "pair " + pair + " handed out twice");
                    }
                    owners.set(pair, 0);
                    ports.release(pair, 0);
                }
            });
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join(20_000);
        }
        assertNull(failure.get());
        assertEquals(0, ports.pairsInUse());
        assertEquals(ports.pairCount(), ports.pairsFree(0));
    }
}
