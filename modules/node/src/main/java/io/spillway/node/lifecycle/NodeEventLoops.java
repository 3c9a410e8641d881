package io.spillway.node.lifecycle;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The node's shared Netty event loop groups, created once: {@link #signalling()} for SIP, ng and the
 * cluster protocol; {@link #admin()}, one thread for the admin HTTP API. Epoll when available (needed
 * for {@code SO_REUSEPORT}), NIO otherwise, with a warning. Components use the channel classes from
 * here so they match the transport. The media relay is not here: its {@code RelayEngine} owns its
 * loops (their transport tuned for {@code recvmmsg}), sized by {@code media.event_loops}.
 */
public final class NodeEventLoops implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger("spillway.node");

    private final boolean epoll;
    private final EventLoopGroup signalling;
    private final EventLoopGroup admin;

    public NodeEventLoops(int signallingThreads) {
        epoll = Epoll.isAvailable();
        if (!epoll) {
            LOG.warning("epoll transport unavailable (" + Epoll.unavailabilityCause()
                + "); falling back to NIO: no recvmmsg, no systemd notifications");
        }
        signalling = group("spillway-sig", signallingThreads);
        admin = group("spillway-admin", 1);
        LOG.info((epoll ? "epoll" : "nio") + " transport; event loops: signalling " + signallingThreads
            + ", admin 1");
    }

    private EventLoopGroup group(String name, int threads) {
        IoHandlerFactory factory = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(name, false), factory);
    }

    public boolean isEpoll() {
        return epoll;
    }

    /** SIP transport, ng control, cluster control protocol. */
    public EventLoopGroup signalling() {
        return signalling;
    }

    /** The admin HTTP API's single loop. */
    public EventLoopGroup admin() {
        return admin;
    }

    /** Every group, for the watchdog's liveness probe. */
    public List<EventLoopGroup> all() {
        return List.of(signalling, admin);
    }

    public Class<? extends DatagramChannel> datagramChannel() {
        return epoll ? EpollDatagramChannel.class : NioDatagramChannel.class;
    }

    public Class<? extends ServerChannel> serverSocketChannel() {
        return epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    public Class<? extends SocketChannel> socketChannel() {
        return epoll ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    /** Shuts every group down and waits (bounded). */
    @Override
    public void close() {
        for (EventLoopGroup g : all()) {
            g.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        }
        for (EventLoopGroup g : all()) {
            g.terminationFuture().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }
}
