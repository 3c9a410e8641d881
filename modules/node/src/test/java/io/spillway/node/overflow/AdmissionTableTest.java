package io.spillway.node.overflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AdmissionTableTest {
    private final AtomicLong nowNs = new AtomicLong(Long.MAX_VALUE - TimeUnit.SECONDS.toNanos(5));

    @Test
    void aTicketCountsUntilClosedOnce() {
        AdmissionTable table = new AdmissionTable(nowNs::get, 1_000);
        AdmissionTicket a = table.open();
        AdmissionTicket b = table.open();
        assertEquals(2, table.pending());
        a.close();
        a.close();
        assertEquals(1, table.pending(), "closing twice counts once");
        assertFalse(a.isOpen());
        assertTrue(b.isOpen());
        assertEquals(0, table.sweep());
        assertEquals(1, table.pending());
    }

    @Test
    void forgottenTicketsExpireAfterTheHoldTimeAcrossClockWrap() {
        AdmissionTable table = new AdmissionTable(nowNs::get, 1_000);
        AdmissionTicket first = table.open();
        nowNs.addAndGet(TimeUnit.MILLISECONDS.toNanos(600));
        AdmissionTicket second = table.open();
        nowNs.addAndGet(TimeUnit.MILLISECONDS.toNanos(600)); // wraps past Long.MAX_VALUE
        assertEquals(1, table.sweep());
        assertFalse(first.isOpen());
        assertTrue(second.isOpen());
        assertEquals(1, table.pending());
        first.close();
        assertEquals(1, table.pending(), "closing an expired ticket does not count it twice");
        nowNs.addAndGet(TimeUnit.MILLISECONDS.toNanos(600));
        assertEquals(1, table.sweep());
        assertEquals(0, table.pending());
        assertEquals(2, table.expired());
        assertEquals(2, table.opened());
    }

    @Test
    void closedTicketsAreNotExpired() {
        AdmissionTable table = new AdmissionTable(nowNs::get, 1_000);
        table.open().close();
        nowNs.addAndGet(TimeUnit.SECONDS.toNanos(2));
        assertEquals(0, table.sweep());
        assertEquals(0, table.expired());
    }

    @Test
    void concurrentOpenCloseAndSweepKeepTheCountExact() throws Exception {
        AdmissionTable table = new AdmissionTable(System::nanoTime, 60_000);
        int threads = 4;
        int perThread = 20_000;
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        List<AdmissionTicket> kept = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < threads; t++) {
            Thread w = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < perThread; i++) {
                    AdmissionTicket ticket = table.open();
                    if (i % 10 == 0) {
                        kept.add(ticket);
                    } else {
                        ticket.close();
                    }
                }
            });
            workers.add(w);
            w.start();
        }
        Thread sweeper = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                table.sweep();
            }
        });
        sweeper.start();
        go.countDown();
        for (Thread w : workers) {
            w.join(20_000);
        }
        sweeper.interrupt();
        sweeper.join(5_000);
        assertEquals(threads * perThread / 10, table.pending());
        assertEquals(threads * perThread / 10, kept.size());
        kept.forEach(AdmissionTicket::close);
        assertEquals(0, table.pending());
        assertEquals(0, table.expired());
    }
}
