package io.spillway.node.registrar;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.spillway.sip.SipUri;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Several threads update one AOR at once: no update is lost, the size counter stays exact. */
@Timeout(30)
class InMemoryLocationStoreConcurrencyTest {

    @Test
    void concurrentUpdatesOfOneAorLoseNothing() throws Exception {
        InMemoryLocationStore store = new InMemoryLocationStore(() -> 0L);
        int threads = 4;
        int perThread = 500;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            done.add(pool.submit(() -> {
                start.await();
                for (int n = 0; n < perThread; n++) {
                    int i = n;
                    SipUri uri = SipUri.parse("sip:u" + id + "x" + i + "@10.0.0.1");
                    Binding b = new Binding("alice@example.com", uri, -1, 3_600_000, "c" + id, i, i, null);
                    store.update("alice@example.com", current -> {
                        List<Binding> next = new ArrayList<>(current);
                        next.add(b);
                        if (i % 2 == 1) {
                            next.removeIf(x -> x.callId().equals("c" + id) && x.cseq() == i - 1);
                        }
                        return next;
                    });
                    store.lookup("alice", "example.com");
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : done) {
            f.get(20, TimeUnit.SECONDS);
        }
        pool.shutdown();
        int expected = threads * perThread / 2;
        assertEquals(expected, store.bindings("alice@example.com").size());
        assertEquals(expected, store.size());
    }
}
