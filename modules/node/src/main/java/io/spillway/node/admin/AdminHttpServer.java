package io.spillway.node.admin;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.spillway.node.config.AdminConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.logging.Logger;

/**
 * The admin HTTP listener. Runs on the event loop group it is given (the node gives it a one-thread
 * group of its own, so a slow scrape never delays signalling or media).
 */
public final class AdminHttpServer {
    private static final Logger LOG = Logger.getLogger("spillway.admin");
    private static final int MAX_REQUEST_BYTES = 16 * 1024;
    private static final int READ_TIMEOUT_SECONDS = 30;

    private final AdminConfig config;
    private final AdminBackend backend;
    private Channel channel;

    public AdminHttpServer(AdminConfig config, AdminBackend backend) {
        this.config = config;
        this.backend = backend;
    }

    private volatile java.util.List<io.netty.channel.ChannelHandler> guards = java.util.List.of();

    /** Sharable handlers put first on every connection (the access gateway's admin policy); set before start. */
    public void guards(java.util.List<io.netty.channel.ChannelHandler> handlers) {
        this.guards = java.util.List.copyOf(handlers);
    }

    /** Binds the listener; returns once bound. */
    public void start(EventLoopGroup group, Class<? extends ServerChannel> channelClass)
        throws IOException, InterruptedException {
        AdminHttpHandler handler = new AdminHttpHandler(backend, config.tokenFile());
        ChannelFuture bind = new ServerBootstrap()
            .group(group)
            .channel(channelClass)
            .option(ChannelOption.SO_REUSEADDR, true)
            .childHandler(new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel ch) {
                    ch.pipeline().addLast(guards.toArray(io.netty.channel.ChannelHandler[]::new));
                    ch.pipeline()
                        .addLast(new ReadTimeoutHandler(READ_TIMEOUT_SECONDS))
                        .addLast(new HttpServerCodec())
                        .addLast(new HttpObjectAggregator(MAX_REQUEST_BYTES))
                        .addLast(handler);
                }
            })
            .bind(config.listen().toSocketAddress())
            .await();
        if (!bind.isSuccess()) {
            throw new IOException("cannot listen on admin.listen " + config.listen() + ": " + bind.cause().getMessage(),
                bind.cause());
        }
        channel = bind.channel();
        InetSocketAddress bound = localAddress();
        String host = bound.getAddress().getHostAddress();
        LOG.info("listening on http " + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + bound.getPort() + (config.tokenFile().isPresent()
            ? " (bearer token required except /health)" : " (no token: keep it on a trusted address)"));
    }

    /** The bound address (the real port when the config asked for port 0). */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    public void stop() {
        if (channel != null) {
            channel.close().syncUninterruptibly();
        }
    }
}
