package io.spillway.media;

import io.spillway.media.RelayTestSupport.Party;
import io.spillway.media.counter.CounterArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import static io.spillway.media.RelayTestSupport.V4;
import static io.spillway.media.RelayTestSupport.rtp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Counter readers on several threads while the writer (a loop, or a plain thread) runs. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CounterConcurrencyTest {
    private static final int READERS = 4;

    @Test
    void readersSeeMonotonicCountersWhileTheLoopForwards() throws Exception {
        try (RelayEngineFixture fx = RelayEngineFixture.start(8);
             Party caller = new Party(V4); Party callee = new Party(V4)) {
            StreamPorts ports = fx.audio(1, caller, callee, null, null);
            AtomicBoolean stop = new AtomicBoolean();
            AtomicReference<String> failure = new AtomicReference<>();
            AtomicLong reads = new AtomicLong();
            List<Thread> readers = new ArrayList<>();
            for (int r = 0; r < READERS; r++) {
                Thread t = new Thread(() -> {
                    long lastIn = 0;
                    long lastOut = 0;
                    long lastNode = 0;
                    while (!stop.get()) {
                        SessionStats stats = fx.engine.sessionStats(1);
                        if (stats == null) {
                            failure.compareAndSet(null, "session vanished");
                            return;
                        }
                        DirectionStats up = stats.streams().get(0).aToB();
                        long node = fx.engine.nodeStats().traffic().packetsIn();
                        fx.engine.workload();
                        if (up.packetsIn() < lastIn || up.packetsOut() < lastOut || node < lastNode) {
                            failure.compareAndSet(null, "counter went backwards");
                        }
                        if (up.bytesIn() > up.packetsIn() * 172 + 172) {
                            failure.compareAndSet(null, "bytes ahead of packets by more than one packet");
                        }
                        lastIn = up.packetsIn();
                        lastOut = up.packetsOut();
                        lastNode = node;
                        reads.incrementAndGet();
                        // Hammer, but leave the 2-core CI box some room for the loop itself.
                        LockSupport.parkNanos(1_000);
                    }
                }, "reader-" + r);
                t.start();
                readers.add(t);
            }
            Thread drain = new Thread(() -> {
                try {
                    while (!stop.get()) {
                        callee.receive();
                    }
                } catch (Throwable e) {
                    // closed
                }
            });
            drain.setDaemon(true);
            drain.start();
            int sent = 10_000;
            for (int i = 0; i < sent; i++) {
                caller.send(rtp(i & 0xFFFF, i * 160, 1, 160), ports.a().rtpPort());
                if ((i & 63) == 63) {
                    long deadline = System.nanoTime() + 200_000_000L;
                    while (fx.aToB(1).packetsIn() < i - 64 && System.nanoTime() - deadline < 0) {
                        LockSupport.parkNanos(50_000);
                    }
                }
            }
            // UDP may lose datagrams on a loaded 2-core box (GC pauses of the readers); the
            // assertions below hold for whatever the relay received.
            long seen = -1;
            while (seen != fx.aToB(1).packetsIn()) {
                seen = fx.aToB(1).packetsIn();
                Thread.sleep(100);
            }
            stop.set(true);
            for (Thread t : readers) {
                t.join(10_000);
            }
            assertNull(failure.get());
            assertTrue(reads.get() > READERS, "readers ran");
            DirectionStats up = fx.aToB(1);
            assertEquals(up.packetsIn(), up.packetsOut(), "nothing dropped");
            assertEquals(up.packetsIn() * 172, up.bytesIn());
            assertEquals(up.packetsIn(), up.rtp().received());
            assertTrue(up.packetsIn() > sent / 2, "most packets arrived: " + up.packetsIn());
            assertEquals(up.rtp().expected() - up.packetsIn(), up.rtp().lost());
            assertTrue(up.rtp().extendedHighestSeq() < sent);
        }
    }

    @Test
    void counterArrayIsNeverTornOrBackwards() throws Exception {
        CounterArray counters = new CounterArray(2);
        int writes = 2_000_000;
        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<String> failure = new AtomicReference<>();
        List<Thread> readers = new ArrayList<>();
        for (int r = 0; r < READERS; r++) {
            Thread t = new Thread(() -> {
                long last = 0;
                while (!done.get()) {
                    long v = counters.get(1);
                    if (v < last || v % 172 != 0) {
                        failure.compareAndSet(null, "read " + v + " after " + last);
                    }
                    last = v;
                }
            });
            t.start();
            readers.add(t);
        }
        Thread writer = new Thread(() -> {
            for (int i = 0; i < writes; i++) {
                counters.increment(0);
                counters.add(1, 172);
            }
        });
        writer.start();
        writer.join(60_000);
        done.set(true);
        for (Thread t : readers) {
            t.join(10_000);
        }
        assertNull(failure.get());
        assertEquals(writes, counters.get(0));
        assertEquals(172L * writes, counters.get(1));
    }
}
