package io.spillway.node.testsupport;

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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Stands in for systemd's notification socket: a unix datagram socket bound at a path (or, with a
 * leading NUL, in the abstract namespace) that collects every {@code sd_notify} message.
 */
public final class FakeSystemd implements AutoCloseable {
    private final EventLoopGroup group;
    private final Channel channel;
    private final BlockingQueue<String> received = new LinkedBlockingQueue<>();

    public FakeSystemd(String socketPath) throws InterruptedException {
        if (!Epoll.isAvailable()) {
            throw new AssertionError("epoll is needed for unix datagram sockets: " + Epoll.unavailabilityCause());
        }
        group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        channel = new Bootstrap().group(group).channel(EpollDomainDatagramChannel.class)
            .handler(new SimpleChannelInboundHandler<DomainDatagramPacket>() {
                @Override
                protected void channelRead0(ChannelHandlerContext ctx, DomainDatagramPacket p) {
                    received.add(p.content().toString(StandardCharsets.UTF_8));
                }
            })
            .bind(new DomainSocketAddress(socketPath)).sync().channel();
    }

    /** Waits for a message containing {@code part}; fails listing what arrived instead. */
    public String await(String part, Duration timeout) throws InterruptedException {
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
        throw new AssertionError("no sd_notify message containing " + part + " in " + timeout + "; seen " + seen);
    }

    /** The next message within {@code timeout}, or null. */
    public String poll(Duration timeout) throws InterruptedException {
        return received.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
