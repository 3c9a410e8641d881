package io.spillway.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ReservationTableTest {
    private static final long TTL_NS = TimeUnit.SECONDS.toNanos(10);
    private final FakeWorkload workload = new FakeWorkload();
    private final AdmissionGate gate = new AdmissionGate(ThresholdConfig.ofCalls(2), workload);
    private final ReservationTable table = new ReservationTable(4, gate, TTL_NS, new ClusterCounters());

    @Test
    void reserveUpToTheLimitWithDistinctTokens() {
        final Reservation a = table.tryReserve(CallDemand.NONE, 0);
        final Reservation b = table.tryReserve(CallDemand.NONE, 0);
        assertNotNull(a);
        assertNotNull(b);
        assertNotEquals(a.token(), b.token());
        assertEquals(4, a.nodeId());
        assertEquals(TTL_NS, a.expiresAtNs());
        assertNull(table.tryReserve(CallDemand.NONE, 0));
        assertEquals(2, table.size());
    }

    @Test
    void consumeOnceOnly() {
        final Reservation r = table.tryReserve(CallDemand.NONE, 0);
        workload.calls.incrementAndGet();
        assertTrue(table.consume(r.token(), 1));
        assertFalse(table.consume(r.token(), 2));
        assertEquals(0, gate.reservedCalls());
        assertFalse(table.consume("no-such-token-at-all-x", 2));
        assertFalse(table.consume(null, 2));
    }

    @Test
    void expiryFreesRoomAtTtl() {
        final long startNs = 1_000;
        table.tryReserve(CallDemand.NONE, startNs);
        table.tryReserve(CallDemand.NONE, startNs + 5);
        assertEquals(0, table.expire(startNs + TTL_NS - 1));
        assertEquals(1, table.expire(startNs + TTL_NS));
        assertEquals(1, gate.reservedCalls());
        assertEquals(1, table.expire(startNs + TTL_NS + 5));
        assertEquals(0, gate.reservedCalls());
        assertNotNull(table.tryReserve(CallDemand.NONE, startNs + TTL_NS + 6));
    }

    @Test
    void expiredButNotYetSweptCannotBeConsumed() {
        final Reservation r = table.tryReserve(CallDemand.NONE, 0);
        assertFalse(table.consume(r.token(), TTL_NS));
        assertEquals(0, gate.reservedCalls());
        assertEquals(0, table.expire(TTL_NS * 2));
    }

    @Test
    void releaseFrees() {
        final Reservation r = table.tryReserve(CallDemand.NONE, 0);
        assertTrue(table.release(r.token()));
        assertFalse(table.release(r.token()));
        assertFalse(table.consume(r.token(), 1));
        assertEquals(0, gate.reservedCalls());
    }
}
