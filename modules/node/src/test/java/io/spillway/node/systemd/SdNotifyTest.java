package io.spillway.node.systemd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.unix.DomainDatagramPacket;
import io.netty.channel.unix.DomainSocketAddress;
import io.spillway.node.config.ConfigLoader;
import io.spillway.node.config.ConfigSource;
import io.spillway.node.config.NodeConfig;
import io.spillway.node.lifecycle.SpillwayNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** sd_notify against a real unix datagram socket standing in for systemd. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SdNotifyTest {
    @TempDir
    Path dir;

    private EventLoopGroup group;
    private Channel systemd;
    private final BlockingQueue<String> received = new LinkedBlockingQueue<>();
    private Path socket;

    @BeforeEach
    void bindFakeSystemd() throws InterruptedException {
        assertTrue(Epoll.isAvailable(), "epoll is needed for sd_notify on Linux: " + Epoll.unavailabilityCause());
        group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        socket = dir.resolve("notify.sock");
        systemd = new Bootstrap().group(group).channel(EpollDomainDatagramChannel.class)
            .handler(new SimpleChannelInboundHandler<DomainDatagramPacket>() {
                @Override
                protected void channelRead0(ChannelHandlerContext ctx, DomainDatagramPacket p) {
                    received.add(p.content().toString(StandardCharsets.UTF_8));
                }
            })
            .bind(new DomainSocketAddress(socket.toString())).sync().channel();
    }

    @AfterEach
    void close() {
        systemd.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private String awaitMessage(String part, Duration timeout) throws InterruptedException {
        long deadlineNs = System.nanoTime() + timeout.toNanos();
        StringBuilder seen = new StringBuilder();
        while (deadlineNs - System.nanoTime() > 0) {
            String m = received.poll(deadlineNs - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (m == null) {
                break;
            }
            seen.append('[').append(m.replace("\n", "\\n")).append(']');
            if (m.contains(part)) {
                return m;
            }
        }
        throw new AssertionError("no message containing " + part + " in " + timeout + "; seen " + seen);
    }

    @Test
    void nodeSendsReadyWatchdogAndStopping() throws Exception {
        ConfigSource source = new ConfigSource(null, List.of("admin.listen=127.0.0.1:0", "media.event_loops=1"));
        NodeConfig config = ConfigLoader.load(source);
        Map<String, String> env = Map.of("NOTIFY_SOCKET", socket.toString(), "WATCHDOG_USEC", "200000");
        SpillwayNode node = new SpillwayNode(source, config, List.of(), env);
        try {
            node.start();
            String ready = awaitMessage("READY=1", Duration.ofSeconds(10));
            assertTrue(ready.contains("STATUS=serving"), ready);
            assertTrue(ready.contains("MAINPID=" + ProcessHandle.current().pid()), ready);
            awaitMessage("WATCHDOG=1", Duration.ofSeconds(10));
            awaitMessage("WATCHDOG=1", Duration.ofSeconds(10));
        } finally {
            node.stop();
        }
        awaitMessage("STOPPING=1", Duration.ofSeconds(10));
    }

    @Test
    void withoutNotifySocketNothingIsSent() throws Exception {
        SdNotifier n = SdNotifier.fromEnvironment(Map.of("WATCHDOG_USEC", "100000"));
        assertFalse(n.isEnabled());
        assertEquals(Duration.ZERO, n.watchdogInterval());
        n.notify("READY=1");
        n.close();
        assertEquals(null, received.poll(200, TimeUnit.MILLISECONDS));
    }

    @Test
    void watchdogForAnotherPidIsIgnored() {
        assertEquals(Duration.ofMillis(500), SdNotifier.watchdogInterval(Map.of("WATCHDOG_USEC", "500000")));
        assertEquals(Duration.ZERO, SdNotifier.watchdogInterval(Map.of("WATCHDOG_USEC", "500000", "WATCHDOG_PID", "1")));
    }

    @Test
    void abstractNamespaceSocket() throws Exception {
        String name = "spillway-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        Channel abstractSystemd = new Bootstrap().group(group).channel(EpollDomainDatagramChannel.class)
            .handler(new SimpleChannelInboundHandler<DomainDatagramPacket>() {
                @Override
                protected void channelRead0(ChannelHandlerContext ctx, DomainDatagramPacket p) {
                    received.add(p.content().toString(StandardCharsets.UTF_8));
                }
            })
            .bind(new DomainSocketAddress("\0" + name)).sync().channel();
        try (SdNotifier n = SdNotifier.fromEnvironment(Map.of("NOTIFY_SOCKET", "@" + name))) {
            assertTrue(n.isEnabled());
            n.notify("READY=1");
            awaitMessage("READY=1", Duration.ofSeconds(10));
        } finally {
            abstractSystemd.close().syncUninterruptibly();
        }
    }
}
