package io.spillway.node.systemd;

import static org.junit.jupiter.api.Assertions.assertNull;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.EventExecutorGroup;
import io.spillway.node.testsupport.FakeSystemd;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The watchdog pings only while every event loop runs tasks. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SystemdWatchdogTest {
    @TempDir
    Path dir;

    @Test
    void wedgedLoopWithholdsPingsUntilItRecovers() throws Exception {
        Path socket = dir.resolve("notify.sock");
        EventLoopGroup loops = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        CountDownLatch release = new CountDownLatch(1);
        try (FakeSystemd systemd = new FakeSystemd(socket.toString());
             SdNotifier notifier = SdNotifier.fromEnvironment(
                 Map.of("NOTIFY_SOCKET", socket.toString(), "WATCHDOG_USEC", "200000"))) {
            try (SystemdWatchdog watchdog = new SystemdWatchdog(notifier, List.<EventExecutorGroup>of(loops))) {
                systemd.await("WATCHDOG=1", Duration.ofSeconds(10));
                // Wedge one loop, let any ping already in flight arrive, then expect silence.
                loops.next().execute(() -> {
                    try {
                        release.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                Thread.sleep(300);
                while (systemd.poll(Duration.ZERO) != null) {
                    // drain pings sent before the wedge took hold
                }
                assertNull(systemd.poll(Duration.ofMillis(800)), "pinged while an event loop was wedged");
                release.countDown();
                systemd.await("WATCHDOG=1", Duration.ofSeconds(10));
            }
        } finally {
            release.countDown();
            loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
