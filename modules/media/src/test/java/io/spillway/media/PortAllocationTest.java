package io.spillway.media;

import io.spillway.media.RelayTestSupport.FakeClock;
import io.spillway.media.port.PortRangeExhaustedException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Port pairs from the range: exhaustion, quarantine, ports held elsewhere, many sessions. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PortAllocationTest {

    @Test
    void exhaustionFailsClearlyAndEngineRecovers() throws Exception {
        try (RelayEngineFixture fx = RelayEngineFixture.start(2)) {
            fx.audio(1, null, null, null, null);
            ExecutionException e = assertThrows(ExecutionException.class, () -> fx.audio(2, null, null, null, null));
            assertInstanceOf(PortRangeExhaustedException.class, e.getCause());
            assertTrue(e.getCause().getMessage().contains("2 pairs, 2 in use"), e.getCause().getMessage());
            assertEquals(1, fx.engine.nodeStats().portExhaustions());
            assertEquals(1, fx.engine.workload().activeSessions(), "the failed session left nothing behind");
            assertEquals(-1, fx.engine.sessionId("call-2"));

            fx.engine.deleteSession(1).get(10, TimeUnit.SECONDS);
            StreamPorts again = fx.audio(3, null, null, null, null);
            assertTrue(again.a().rtpPort() > 0);
        }
    }

    @Test
    void releasedPortsWaitOutTheQuarantine() throws Exception {
        FakeClock clock = new FakeClock();
        try (RelayEngineFixture fx = new RelayEngineFixture(
            RelayTestSupport.config(clock, 2).bindIpv6(null).quarantineMs(10_000), clock)) {
            StreamPorts first = fx.audio(1, null, null, null, null);
            fx.engine.deleteSession(1).get(10, TimeUnit.SECONDS);
            assertEquals(0, fx.engine.workload().portPairsFree());
            ExecutionException e = assertThrows(ExecutionException.class, () -> fx.audio(2, null, null, null, null));
            assertTrue(e.getCause().getMessage().contains("2 quarantined"), e.getCause().getMessage());

            clock.advanceMs(9_999);
            assertThrows(ExecutionException.class, () -> fx.audio(3, null, null, null, null));
            clock.advanceMs(1);
            StreamPorts reused = fx.audio(4, null, null, null, null);
            Set<Integer> before = Set.of(first.a().rtpPort(), first.b().rtpPort());
            assertTrue(before.contains(reused.a().rtpPort()) && before.contains(reused.b().rtpPort()));
        }
    }

    @Test
    void portHeldByAnotherSocketIsSkipped() throws Exception {
        FakeClock clock = new FakeClock();
        int[] range = RelayTestSupport.randomRange(3);
        try (DatagramSocket squatter = new DatagramSocket(new InetSocketAddress(RelayTestSupport.V4, range[0]));
             RelayEngineFixture fx = new RelayEngineFixture(RelayTestSupport.config(clock, 3)
                 .portRange(range[0], range[1]), clock)) {
            StreamPorts ports = fx.audio(1, null, null, null, null);
            assertNotEquals(range[0], ports.a().rtpPort());
            assertNotEquals(range[0], ports.b().rtpPort());
            assertEquals(1, fx.engine.nodeStats().portBindFailures());
            assertTrue(squatter.isBound());
        }
    }

    @Test
    @Tag("slow")
    void thousandSessionsCreatedAndDeletedReturnAllPorts() throws Exception {
        FakeClock clock = new FakeClock();
        int sessions = 1000;
        try (RelayEngineFixture fx = new RelayEngineFixture(RelayTestSupport.config(clock, 2 * sessions + 50).bindIpv6(null), clock)) {
            List<CompletableFuture<SessionPorts>> created = new ArrayList<>();
            for (int i = 0; i < sessions; i++) {
                created.add(fx.engine.createSession(new SessionSpec("s" + i, i,
                    List.of(StreamSpec.of(MediaType.AUDIO, IpFamily.IPV4))), null));
            }
            Set<Integer> ports = new HashSet<>();
            for (CompletableFuture<SessionPorts> f : created) {
                StreamPorts p = f.get(60, TimeUnit.SECONDS).stream(0);
                assertTrue(ports.add(p.a().rtpPort()) && ports.add(p.b().rtpPort()), "ports are unique");
            }
            assertEquals(sessions, fx.engine.workload().activeSessions());
            assertEquals(2 * sessions, fx.engine.workload().portPairsInUse());
            List<CompletableFuture<SessionStats>> deleted = new ArrayList<>();
            for (int i = 0; i < sessions; i++) {
                deleted.add(fx.engine.deleteSession(i));
            }
            for (CompletableFuture<SessionStats> f : deleted) {
                f.get(60, TimeUnit.SECONDS);
            }
            WorkloadSnapshot w = fx.engine.workload();
            assertEquals(0, w.activeSessions());
            assertEquals(0, w.portPairsInUse());
            assertEquals(2 * sessions + 50, w.portPairsFree(), "every pair is free again (quarantine 0)");
            assertEquals(0, fx.engine.sessionIds().length);
        }
    }

    @Test
    void duplicateIdOrKeyIsRefused() throws Exception {
        try (RelayEngineFixture fx = RelayEngineFixture.start(8)) {
            fx.audio(1, null, null, null, null);
            ExecutionException dupId = assertThrows(ExecutionException.class, () -> fx.engine.createSession(
                new SessionSpec("other", 1, List.of(StreamSpec.of(MediaType.AUDIO, IpFamily.IPV4))), null)
                .get(10, TimeUnit.SECONDS));
            assertTrue(dupId.getCause().getMessage().contains("id 1 already exists"));
            ExecutionException dupKey = assertThrows(ExecutionException.class, () -> fx.engine.createSession(
                new SessionSpec("call-1", 2, List.of(StreamSpec.of(MediaType.AUDIO, IpFamily.IPV4))), null)
                .get(10, TimeUnit.SECONDS));
            assertTrue(dupKey.getCause().getMessage().contains("key call-1 already exists"));
            ExecutionException unknown = assertThrows(ExecutionException.class,
                () -> fx.engine.deleteSession(99).get(10, TimeUnit.SECONDS));
            assertInstanceOf(UnknownSessionException.class, unknown.getCause());
        }
    }
}
