package io.spillway.node.systemd;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Sends {@code sd_notify} state strings to the service manager. Built from the environment (injectable
 * for tests); without {@code NOTIFY_SOCKET} it is disabled and every call is a no-op. A path starting
 * with {@code @} is an abstract-namespace socket. Sends are fire-and-forget: systemd being gone must not
 * stop the node.
 */
public final class SdNotifier implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger("spillway.systemd");

    private final EventLoopGroup group;
    private final Channel channel;
    private final Duration watchdogInterval;

    private SdNotifier(EventLoopGroup group, Channel channel, Duration watchdogInterval) {
        this.group = group;
        this.channel = channel;
        this.watchdogInterval = watchdogInterval;
    }

    /** A notifier for the socket in {@code env}'s {@code NOTIFY_SOCKET}, or a disabled one. */
    public static SdNotifier fromEnvironment(Map<String, String> env) {
        String socket = env.get("NOTIFY_SOCKET");
        Duration watchdog = watchdogInterval(env);
        if (socket == null || socket.isEmpty()) {
            return new SdNotifier(null, null, watchdog);
        }
        if (!Epoll.isAvailable()) {
            LOG.warning("NOTIFY_SOCKET is set but the epoll transport is unavailable ("
                + Epoll.unavailabilityCause() + "); not notifying systemd");
            return new SdNotifier(null, null, Duration.ZERO);
        }
        String path = socket.startsWith("@") ? "\0" + socket.substring(1) : socket;
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("spillway-sdnotify", true),
            EpollIoHandler.newFactory());
        try {
            Channel ch = new Bootstrap()
                .group(group)
                .channel(EpollDomainDatagramChannel.class)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        // write-only: nothing to read
                    }
                })
                .connect(new DomainSocketAddress(path))
                .sync()
                .channel();
            LOG.info("notifying systemd at " + socket
                + (watchdog.isZero() ? "" : ", watchdog every " + watchdog.toMillis() / 2 + " ms"));
            return new SdNotifier(group, ch, watchdog);
        } catch (Exception e) {
            LOG.log(Level.WARNING, "cannot reach NOTIFY_SOCKET " + socket + "; not notifying systemd", e);
            group.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS);
            return new SdNotifier(null, null, Duration.ZERO);
        }
    }

    /**
     * The {@code WATCHDOG_USEC} interval, or zero when systemd did not ask for a watchdog (or asked
     * another process: {@code WATCHDOG_PID}).
     */
    static Duration watchdogInterval(Map<String, String> env) {
        String usec = env.get("WATCHDOG_USEC");
        if (usec == null || usec.isEmpty()) {
            return Duration.ZERO;
        }
        String pid = env.get("WATCHDOG_PID");
        if (pid != null && !pid.isEmpty() && !pid.equals(Long.toString(ProcessHandle.current().pid()))) {
            return Duration.ZERO;
        }
        try {
            long micros = Long.parseLong(usec.trim());
            return micros > 0 ? Duration.ofNanos(micros * 1000) : Duration.ZERO;
        } catch (NumberFormatException e) {
            LOG.warning("ignoring WATCHDOG_USEC=" + usec + ": not a number");
            return Duration.ZERO;
        }
    }

    public boolean isEnabled() {
        return channel != null;
    }

    /** The interval systemd expects pings within; zero when there is no watchdog. */
    public Duration watchdogInterval() {
        return channel == null ? Duration.ZERO : watchdogInterval;
    }

    /** Sends newline-separated {@code KEY=value} assignments, e.g. {@code "READY=1\nSTATUS=serving"}. */
    public void notify(String state) {
        if (channel == null) {
            return;
        }
        channel.writeAndFlush(Unpooled.copiedBuffer(state, StandardCharsets.UTF_8)).addListener(f -> {
            if (!f.isSuccess()) {
                LOG.log(Level.FINE, "sd_notify failed", f.cause());
            }
        });
    }

    /** Sends {@code state} and waits (bounded) until it left, for the last message before exit. */
    public void notifyAndWait(String state) {
        if (channel == null) {
            return;
        }
        channel.writeAndFlush(Unpooled.copiedBuffer(state, StandardCharsets.UTF_8)).awaitUninterruptibly(1000);
    }

    @Override
    public void close() {
        if (channel != null) {
            channel.close().awaitUninterruptibly(1000);
            group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).awaitUninterruptibly(2000);
        }
    }
}
