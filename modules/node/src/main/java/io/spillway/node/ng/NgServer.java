package io.spillway.node.ng;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * The ng control port: one datagram channel on its own single-thread event loop (control traffic is
 * light; keeping it off the relay loops keeps SDP work away from forwarding). Start, stop, and the
 * address actually bound.
 */
public final class NgServer implements AutoCloseable {
    /** How often calls ended by the relay (media timeout) are forgotten. */
    static final long SWEEP_PERIOD_MS = 1_000;

    private final NgServerConfig config;
    private final NgStats stats = new NgStats();
    private final NgCommandDispatcher dispatcher;
    private EventLoopGroup group;
    private Channel channel;
    private volatile java.util.function.Predicate<InetSocketAddress> admission = sender -> true;

    /**
     * @param overThreshold true while the node is over its load threshold (see
     *     {@link NgCommandDispatcher})
     */
    public NgServer(NgServerConfig config, NgMediaBackend backend, BooleanSupplier overThreshold) {
        this(config, backend, overThreshold, System::currentTimeMillis);
    }

    /** As above with an injected wall clock. */
    public NgServer(NgServerConfig config, NgMediaBackend backend, BooleanSupplier overThreshold, LongSupplier epochMs) {
        this.config = config;
        this.dispatcher = new NgCommandDispatcher(config, backend, overThreshold, epochMs, stats);
    }

    /** Admits only the senders {@code admission} accepts (the access gateway's ng policy); set before start. */
    public void admission(java.util.function.Predicate<InetSocketAddress> admission) {
        this.admission = admission;
    }

    /** Binds the port; returns once bound. */
    public synchronized void start() throws InterruptedException {
        if (group != null) {
            throw new IllegalStateException("ng server already started");
        }
        group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("spillway-ng", true),
            NioIoHandler.newFactory());
        NgReplyCacheTable replies = new NgReplyCacheTable(config.retransmitWindowMs(),
            config.replyCacheMaxEntries(), System::nanoTime);
        NgControlHandler handler = new NgControlHandler(new BencodeDecoder(), dispatcher, replies, stats, admission);
        try {
            channel = new Bootstrap().group(group).channel(NioDatagramChannel.class)
                .option(ChannelOption.SO_RCVBUF, 4 << 20)
                .handler(handler)
                .bind(config.listen()).sync().channel();
            group.scheduleAtFixedRate(dispatcher::sweepEndedCalls, SWEEP_PERIOD_MS, SWEEP_PERIOD_MS,
                TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            // sync() rethrows a bind failure undeclared (a checked IOException), so catch them all.
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            group = null;
            throw e;
        }
    }

    /** The bound address (useful with port 0). */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    /** Counters of this port. */
    public NgStats stats() {
        return stats;
    }

    /** Calls held. */
    public int calls() {
        return dispatcher.calls();
    }

    /** Closes the port and every call's relay streams; idempotent. */
    @Override
    public synchronized void close() {
        if (group == null) {
            return;
        }
        try {
            channel.close().syncUninterruptibly();
            group.submit(dispatcher::closeAll).syncUninterruptibly();
        } finally {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            group = null;
        }
    }
}
