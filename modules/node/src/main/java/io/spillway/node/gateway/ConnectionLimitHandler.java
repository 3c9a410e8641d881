package io.spillway.node.gateway;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.AttributeKey;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Guards a TCP listener's accepted connections: at most {@code maxPerSource} concurrent connections
 * from one source address (the excess is closed at once, counted as {@code too_many_connections}),
 * and a connection that receives nothing for {@code idleTimeoutMs} is closed (counted as
 * {@code idle_timeout}). Sources in {@code exempt} (a trusted load balancer, which carries many clients
 * over its connections) are not capped, but still time out when idle.
 *
 * <p>Install it first in the child pipeline; it adds an {@link IdleStateHandler} in front of itself.
 * {@link Sharable}: one instance per listener holds the per-source counts (a concurrent map whose
 * entries are removed when a source's last connection closes, so it is bounded by the open
 * connections).
 */
@ChannelHandler.Sharable
public final class ConnectionLimitHandler extends ChannelInboundHandlerAdapter {
    private static final AttributeKey<InetAddress> COUNTED = AttributeKey.valueOf("spillway.gateway.counted");

    private final GatewayListener listener;
    private final int maxPerSource;
    private final long idleTimeoutMs;
    private final CidrSet exempt;
    private final GatewayCounters counters;
    private final ConcurrentHashMap<InetAddress, AtomicInteger> open = new ConcurrentHashMap<>();

    /**
     * @param maxPerSource  concurrent connections per source (at least 1)
     * @param idleTimeoutMs close a connection idle (no reads) this long; 0 disables
     */
    public ConnectionLimitHandler(GatewayListener listener, int maxPerSource, long idleTimeoutMs, CidrSet exempt,
                                  GatewayCounters counters) {
        if (maxPerSource < 1 || idleTimeoutMs < 0) {
            throw new IllegalArgumentException("maxPerSource must be positive, idleTimeoutMs not negative");
        }
        this.listener = listener;
        this.maxPerSource = maxPerSource;
        this.idleTimeoutMs = idleTimeoutMs;
        this.exempt = exempt;
        this.counters = counters;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (idleTimeoutMs > 0) {
            ctx.pipeline().addBefore(ctx.name(), null, new IdleStateHandler(idleTimeoutMs, 0, 0, TimeUnit.MILLISECONDS));
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        InetAddress source = ctx.channel().remoteAddress() instanceof InetSocketAddress isa ? isa.getAddress() : null;
        if (source != null && !exempt.contains(source)) {
            AtomicInteger n = open.compute(source, (k, v) -> {
                AtomicInteger c = v == null ? new AtomicInteger() : v;
                c.incrementAndGet();
                return c;
            });
            ctx.channel().attr(COUNTED).set(source);
            if (n.get() > maxPerSource) {
                counters.drop(listener, GatewayDropReason.TOO_MANY_CONNECTIONS);
                ctx.close();
                return;
            }
        }
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        InetAddress source = ctx.channel().attr(COUNTED).getAndSet(null);
        if (source != null) {
            open.computeIfPresent(source, (k, v) -> v.decrementAndGet() <= 0 ? null : v);
        }
        super.channelInactive(ctx);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            counters.drop(listener, GatewayDropReason.IDLE_TIMEOUT);
            ctx.close();
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    /** Open connections from {@code source} (for tests and metrics). */
    public int openConnections(InetAddress source) {
        AtomicInteger n = open.get(source);
        return n == null ? 0 : n.get();
    }

    /** Sources with at least one open counted connection. */
    public int sources() {
        return open.size();
    }
}
