package io.spillway.node.call;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.spillway.media.IpFamily;
import io.spillway.media.MediaConfig;
import io.spillway.media.RelayEngine;
import io.spillway.sip.SipRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Signalling threads hammer the hook at once: whole calls on distinct keys, and releases racing the
 * offers of the same call. Whatever the interleaving, no relay session or port pair is left behind
 * and every session created is released exactly once.
 */
@Timeout(60)
class RelayMediaHookConcurrencyTest {

    @Test
    void concurrentCallsAndRacingReleasesLeakNothing() throws Exception {
        int base = 61000 + 2 * ThreadLocalRandom.current().nextInt(700);
        try (RelayEngine engine = new RelayEngine(MediaConfig.builder().portRange(base, base + 1999).eventLoops(2)
                .quarantineMs(0).build())) {
            engine.start();
            RelayMediaHook hook = new RelayMediaHook(engine, "127.0.0.1", IpFamily.IPV4, System::currentTimeMillis,
                Runnable::run);
            int threads = 4;
            int callsPerThread = 100;
            ExecutorService pool = Executors.newFixedThreadPool(threads * 2);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                done.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < callsPerThread; i++) {
                        String callId = "c" + id + "-" + i;
                        SipRequest invite = RelayMediaHookTest.request("INVITE", callId, 1,
                            RelayMediaHookTest.sdp(RelayMediaHookTest.audio(20000 + 2 * i)));
                        CompletableFuture<byte[]> offer = hook.rewrite(callId, "a1", invite, true);
                        if (i % 3 == 0) {
                            // a CANCEL racing the offer
                            hook.release(callId, "a1", "CANCEL");
                            offer.handle((b, e) -> null).get(10, TimeUnit.SECONDS);
                        } else {
                            offer.get(10, TimeUnit.SECONDS);
                            hook.rewrite(callId, "a1", RelayMediaHookTest.response(invite, 200,
                                RelayMediaHookTest.sdp(RelayMediaHookTest.audio(21000 + 2 * i))), false)
                                .get(10, TimeUnit.SECONDS);
                        }
                        hook.release(callId, "a1", "BYE");
                        hook.callsView();
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get(50, TimeUnit.SECONDS);
            }
            pool.shutdown();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while ((engine.workload().portPairsInUse() != 0 || engine.workload().activeSessions() != 0)
                    && deadline - System.nanoTime() > 0) {
                Thread.sleep(10);
            }
            assertEquals(0, hook.activeCalls());
            assertEquals(0, engine.workload().activeSessions());
            assertEquals(0, engine.workload().portPairsInUse());
            assertEquals(hook.sessionsCreated(), hook.sessionsReleased());
        }
    }
}
