package io.spillway.media;

import io.spillway.media.RelayTestSupport.FakeClock;
import io.spillway.media.RelayTestSupport.Party;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static io.spillway.media.RelayTestSupport.V4;
import static io.spillway.media.RelayTestSupport.rtp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Media inactivity and maximum duration, driven by the injected clock. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TimeoutTest {
    private record Closed(SessionStats stats, CloseReason reason) {
    }

    @Test
    void inactivityTimeoutFreesPortsAndNotifies() throws Exception {
        FakeClock clock = new FakeClock();
        try (RelayEngineFixture fx = new RelayEngineFixture(RelayTestSupport.config(clock, 4)
                 .inactivityTimeoutMs(60_000), clock);
             Party caller = new Party(V4); Party callee = new Party(V4)) {
            CompletableFuture<Closed> closed = new CompletableFuture<>();
            StreamPorts ports = fx.audio(1, caller, callee, null, (s, r) -> closed.complete(new Closed(s, r)));

            clock.advanceMs(59_000);
            fx.engine.runHousekeeping().get(10, TimeUnit.SECONDS);
            assertFalse(closed.isDone(), "59 s idle is not yet a timeout");
            caller.send(rtp(1, 0, 1, 160), ports.a().rtpPort());
            callee.receiveBytes();
            clock.advanceMs(59_000);
            fx.engine.runHousekeeping().get(10, TimeUnit.SECONDS);
            assertFalse(closed.isDone(), "a packet restarts the inactivity timer");

            clock.advanceMs(1_000);
            fx.engine.runHousekeeping().get(10, TimeUnit.SECONDS);
            Closed c = closed.get(10, TimeUnit.SECONDS);
            assertEquals(CloseReason.INACTIVITY_TIMEOUT, c.reason());
            assertEquals(1, c.stats().total().packetsOut());
            assertNull(fx.engine.sessionStats(1));
            assertEquals(0, fx.engine.workload().portPairsInUse());
            assertEquals(0, fx.engine.workload().activeSessions());
            assertEquals(1, fx.engine.nodeStats().sessionsTimedOut());
        }
    }

    @Test
    void maxDurationEndsAnActiveCall() throws Exception {
        FakeClock clock = new FakeClock();
        try (RelayEngineFixture fx = new RelayEngineFixture(RelayTestSupport.config(clock, 4)
                 .inactivityTimeoutMs(7_200_000).maxDurationMs(3_600_000), clock)) {
            CompletableFuture<Closed> closed = new CompletableFuture<>();
            fx.audio(1, null, null, null, (s, r) -> closed.complete(new Closed(s, r)));
            clock.advanceMs(3_599_999);
            fx.engine.runHousekeeping().get(10, TimeUnit.SECONDS);
            assertFalse(closed.isDone());
            clock.advanceMs(1);
            fx.engine.runHousekeeping().get(10, TimeUnit.SECONDS);
            assertEquals(CloseReason.MAX_DURATION, closed.get(10, TimeUnit.SECONDS).reason());
            assertEquals(0, fx.engine.workload().portPairsInUse());
        }
    }

    @Test
    void stopEndsSessionsAndTellsListeners() throws Exception {
        FakeClock clock = new FakeClock();
        RelayEngineFixture fx = new RelayEngineFixture(RelayTestSupport.config(clock, 4), clock);
        CompletableFuture<Closed> closed = new CompletableFuture<>();
        fx.audio(1, null, null, null, (s, r) -> closed.complete(new Closed(s, r)));
        fx.engine.stop().get(20, TimeUnit.SECONDS);
        Closed c = closed.get(10, TimeUnit.SECONDS);
        assertEquals(CloseReason.ENGINE_STOPPED, c.reason());
        assertNotNull(c.stats());
        assertEquals(0, fx.engine.workload().portPairsInUse());
        ExecutionException e = assertThrows(ExecutionException.class, () -> fx.engine.createSession(
            new SessionSpec("late", 2, List.of(StreamSpec.of(MediaType.AUDIO, IpFamily.IPV4))), null)
            .get(10, TimeUnit.SECONDS));
        assertEquals("relay engine is not running (not started, or stopped)", e.getCause().getMessage());
    }
}
