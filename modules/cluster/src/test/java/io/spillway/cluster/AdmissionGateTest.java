package io.spillway.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AdmissionGateTest {
    private final FakeWorkload workload = new FakeWorkload();

    @Test
    void roomMeansEveryConfiguredLimitFitsOneMoreCall() {
        final CallDemand demand = new CallDemand(10_000, 100);
        final AdmissionGate gate = new AdmissionGate(new ThresholdConfig(10, 100_000, 0, demand, 0.0), workload);
        workload.calls.set(5);
        workload.bandwidth.set(80_000);
        assertTrue(gate.tryAdmit(demand)); // 80k + 10k <= 100k
        assertTrue(gate.tryAdmit(demand)); // 80k + 10k reserved + 10k <= 100k
        assertFalse(gate.tryAdmit(demand)); // bandwidth is the binding limit
        assertEquals(2, gate.reservedCalls());
        assertEquals(20_000, gate.reservedBandwidthBytesPerSec());
        assertEquals(200, gate.reservedPacketsPerSec());
        assertTrue(gate.isFull());
    }

    @Test
    void callLimitCountsActiveAndReserved() {
        final AdmissionGate gate = new AdmissionGate(ThresholdConfig.ofCalls(3), workload);
        workload.calls.set(2);
        assertTrue(gate.tryAdmit(CallDemand.NONE));
        assertFalse(gate.tryAdmit(CallDemand.NONE));
        gate.release(CallDemand.NONE);
        assertTrue(gate.tryAdmit(CallDemand.NONE));
    }

    @Test
    void newThresholdsApplyToTheNextAdmission() {
        final AdmissionGate gate = new AdmissionGate(ThresholdConfig.ofCalls(2), workload);
        assertTrue(gate.tryAdmit(CallDemand.NONE));
        gate.setThresholds(ThresholdConfig.ofCalls(1));
        assertFalse(gate.tryAdmit(CallDemand.NONE), "1 reserved, limit lowered to 1");
        assertTrue(gate.isFull());
        gate.setThresholds(ThresholdConfig.ofCalls(3));
        assertTrue(gate.tryAdmit(CallDemand.NONE));
        assertEquals(2, gate.reservedCalls());
        assertEquals(3, gate.thresholds().maxCalls());
    }

    @Test
    void packetRateLimit() {
        final AdmissionGate gate = new AdmissionGate(
            new ThresholdConfig(0, 0, 1_000, new CallDemand(0, 100), 0.0), workload);
        workload.pps.set(850);
        assertTrue(gate.tryAdmit(new CallDemand(0, 100)));
        assertFalse(gate.tryAdmit(new CallDemand(0, 100)));
        assertTrue(gate.tryAdmit(new CallDemand(0, 50)));
    }

    @Test
    void hysteresisStopsFlappingAtTheEdge() {
        final AdmissionGate gate = new AdmissionGate(ThresholdConfig.ofCalls(100).withHysteresis(0.1), workload);
        workload.calls.set(99);
        assertFalse(gate.isFull());
        workload.calls.set(100);
        assertTrue(gate.isFull());
        // Calls end one by one: still full until there is room under 100 * 0.9 = 90.
        for (long calls = 99; calls >= 90; calls--) {
            workload.calls.set(calls);
            assertTrue(gate.isFull(), "full at " + calls);
            assertFalse(gate.tryAdmit(CallDemand.NONE), "admitted at " + calls);
        }
        workload.calls.set(89);
        assertFalse(gate.isFull());
        assertTrue(gate.tryAdmit(CallDemand.NONE));
        // Back near the edge, it is admitted up to the full limit again.
        workload.calls.set(98);
        assertTrue(gate.tryAdmit(CallDemand.NONE));
        assertFalse(gate.tryAdmit(CallDemand.NONE));
    }

    @Test
    void withoutHysteresisItFlips() {
        final AdmissionGate gate = new AdmissionGate(ThresholdConfig.ofCalls(100), workload);
        workload.calls.set(100);
        assertTrue(gate.isFull());
        workload.calls.set(99);
        assertFalse(gate.isFull());
    }

    @Test
    void thresholdsCanBeReloaded() {
        final AdmissionGate gate = new AdmissionGate(ThresholdConfig.ofCalls(2), workload);
        assertTrue(gate.tryAdmit(CallDemand.NONE));
        assertTrue(gate.tryAdmit(CallDemand.NONE));
        assertFalse(gate.tryAdmit(CallDemand.NONE));
        gate.setThresholds(ThresholdConfig.ofCalls(3));
        assertTrue(gate.tryAdmit(CallDemand.NONE));
        gate.setThresholds(ThresholdConfig.ofCalls(1));
        assertTrue(gate.isFull());
        assertFalse(gate.tryAdmit(CallDemand.NONE));
        assertEquals(3, gate.reservedCalls());
    }

    @Test
    void drainingIsFull() {
        final AdmissionGate gate = new AdmissionGate(ThresholdConfig.ofCalls(100), workload);
        gate.setDraining(true);
        assertTrue(gate.isFull());
        assertFalse(gate.tryAdmit(CallDemand.NONE));
        gate.setDraining(false);
        assertTrue(gate.tryAdmit(CallDemand.NONE));
    }

    @Test
    void concurrentAdmissionsNeverOvershoot() throws Exception {
        final int limit = 1_000;
        final AdmissionGate gate = new AdmissionGate(ThresholdConfig.ofCalls(limit), workload);
        final int threads = 8;
        final AtomicInteger admitted = new AtomicInteger();
        final AtomicLong held = new AtomicLong();
        final AtomicLong peak = new AtomicLong();
        final CountDownLatch start = new CountDownLatch(1);
        final List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            final int seed = t;
            final Thread worker = new Thread(() -> {
                final java.util.Random random = new java.util.Random(seed);
                try {
                    start.await();
                } catch (final InterruptedException e) {
                    return;
                }
                for (int i = 0; i < 50_000; i++) {
                    if (gate.tryAdmit(CallDemand.NONE)) {
                        admitted.incrementAndGet();
                        peak.accumulateAndGet(held.incrementAndGet(), Math::max);
                        if (random.nextInt(4) == 0) {
                            held.decrementAndGet();
                            gate.release(CallDemand.NONE);
                        }
                    }
                }
            });
            workers.add(worker);
            worker.start();
        }
        start.countDown();
        for (final Thread worker : workers) {
            worker.join(20_000);
            assertFalse(worker.isAlive());
        }
        assertEquals(limit, gate.reservedCalls());
        assertEquals(limit, held.get());
        assertTrue(peak.get() <= limit, "peak " + peak.get());
        assertTrue(admitted.get() > limit, "releases made room again: " + admitted.get());
    }
}
