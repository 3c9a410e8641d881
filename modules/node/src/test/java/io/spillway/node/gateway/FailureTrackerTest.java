package io.spillway.node.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class FailureTrackerTest {
    private static final long S = 1_000_000_000L;
    private final AtomicLong now = new AtomicLong(123 * S);

    @Test
    void blocksAfterNFailuresWithinTheWindowAndLiftsAfterTheBlockTime() throws Exception {
        FailureTracker t = new FailureTracker(3, 60 * S, 600 * S, 100, now::get);
        InetAddress a = InetAddress.getByName("192.0.2.1");
        InetAddress b = InetAddress.getByName("192.0.2.2");
        assertFalse(t.recordFailure(a));
        assertFalse(t.recordFailure(a));
        assertFalse(t.isBlocked(a));
        assertTrue(t.recordFailure(a));
        assertTrue(t.isBlocked(a));
        assertFalse(t.isBlocked(b), "other sources are not affected");
        assertEquals(1, t.blockedSources());
        now.addAndGet(599 * S);
        assertTrue(t.isBlocked(a));
        now.addAndGet(1 * S);
        assertFalse(t.isBlocked(a), "the block lifts after its time");
        assertEquals(0, t.blockedSources());
        assertFalse(t.recordFailure(a), "the count starts again after a block");
        assertEquals(1, t.blocks());
    }

    @Test
    void failuresOutsideTheWindowDoNotAddUp() throws Exception {
        FailureTracker t = new FailureTracker(3, 60 * S, 600 * S, 100, now::get);
        InetAddress a = InetAddress.getByName("2001:db8::1");
        t.recordFailure(a);
        t.recordFailure(a);
        now.addAndGet(61 * S);
        assertFalse(t.recordFailure(a));
        assertFalse(t.recordFailure(a));
        assertTrue(t.recordFailure(a));
    }

    @Test
    void successForgivesEarlierFailures() throws Exception {
        FailureTracker t = new FailureTracker(2, 60 * S, 600 * S, 100, now::get);
        InetAddress a = InetAddress.getByName("192.0.2.1");
        t.recordFailure(a);
        t.recordSuccess(a);
        assertFalse(t.recordFailure(a));
        assertTrue(t.recordFailure(a));
        t.recordSuccess(a);
        assertTrue(t.isBlocked(a), "success does not lift a block");
    }

    @Test
    void memoryIsBoundedAndBlockedEntriesSurviveSweeps() throws Exception {
        FailureTracker t = new FailureTracker(1, 10 * S, 1000 * S, 16, now::get);
        InetAddress blocked = InetAddress.getByName("198.51.100.1");
        assertTrue(t.recordFailure(blocked));
        for (int i = 0; i < 1000; i++) {
            t.recordFailure(InetAddress.getByAddress(new byte[] {10, 0, (byte) (i >> 8), (byte) i}));
            now.addAndGet(S / 10);
            assertTrue(t.trackedSources() <= 16, "tracked " + t.trackedSources());
        }
        assertTrue(t.isBlocked(blocked), "a blocked source is never evicted to make room");
        assertTrue(t.untracked() > 0, "a full table of blocked sources refuses new ones, counted");
    }
}
