package io.spillway.media;

import io.spillway.media.RelayTestSupport.FakeClock;
import io.spillway.media.RelayTestSupport.Party;

import java.util.List;
import java.util.concurrent.TimeUnit;

/** An engine with a fake clock plus a one-stream audio session between two parties. */
final class RelayEngineFixture implements AutoCloseable {
    final FakeClock clock;
    final RelayEngine engine;

    RelayEngineFixture(MediaConfig.Builder builder, FakeClock clock) {
        this.clock = clock;
        this.engine = new RelayEngine(builder.build());
        engine.start();
    }

    static RelayEngineFixture start(int pairs) {
        FakeClock clock = new FakeClock();
        return new RelayEngineFixture(RelayTestSupport.config(clock, pairs), clock);
    }

    /** A one-stream IPv4 audio session; null parties mean "remote not primed". */
    StreamPorts audio(long id, Party caller, Party callee, LatchingMode mode, SessionListener listener)
        throws Exception {
        SessionSpec spec = new SessionSpec("call-" + id, id, List.of(new StreamSpec(MediaType.AUDIO, 0,
            new LegSpec(IpFamily.IPV4, false, caller == null ? null : caller.address(), null),
            new LegSpec(IpFamily.IPV4, false, callee == null ? null : callee.address(), null))), mode);
        return engine.createSession(spec, listener).get(10, TimeUnit.SECONDS).stream(0);
    }

    DirectionStats aToB(long id) {
        return engine.sessionStats(id).streams().get(0).aToB();
    }

    DirectionStats bToA(long id) {
        return engine.sessionStats(id).streams().get(0).bToA();
    }

    @Override
    public void close() {
        engine.close();
    }
}
