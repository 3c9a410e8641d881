package io.spillway.node.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The TCP handlers on a real listener on loopback: policy close, per-source cap, idle timeout. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GatewayTcpHandlersTest {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final List<Socket> sockets = new ArrayList<>();
    private Channel server;

    @AfterEach
    void tearDown() throws Exception {
        for (Socket s : sockets) {
            s.close();
        }
        if (server != null) {
            server.close().sync();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    /** An echo server whose child pipelines start with {@code handlers}. */
    private InetSocketAddress start(io.netty.channel.ChannelHandler... handlers) throws Exception {
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
            .childHandler(new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel ch) {
                    ch.pipeline().addLast(handlers);
                    ch.pipeline().addLast(new SimpleChannelInboundHandler<ByteBuf>() {
                        @Override
                        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf msg) {
                            ctx.writeAndFlush(msg.retain());
                        }
                    });
                }
            }).bind(InetAddress.getByName("127.0.0.1"), 0).sync().channel();
        return (InetSocketAddress) server.localAddress();
    }

    private Socket connect(String from, InetSocketAddress to) throws IOException {
        Socket s = new Socket();
        sockets.add(s);
        s.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
        s.connect(to, 5000);
        s.setSoTimeout(5000);
        return s;
    }

    /** True when the server echoes a byte; false when it closed the connection. */
    private static boolean echoes(Socket s) throws IOException {
        try {
            s.getOutputStream().write('x');
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            return in.read() == 'x';
        } catch (SocketTimeoutException e) {
            throw e;
        } catch (IOException e) {
            return false; // reset by peer
        }
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (deadline - System.nanoTime() < 0) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }

    @Test
    void deniedSourceIsClosedBeforeAnythingIsReadAndCounted() throws Exception {
        GatewayCounters counters = new GatewayCounters();
        AccessPolicy policy = new AccessPolicy(GatewayListener.ADMIN, CidrSet.parse("127.0.0.1"), CidrSet.EMPTY, counters);
        InetSocketAddress addr = start(new AccessPolicyHandler(policy));
        assertTrue(echoes(connect("127.0.0.1", addr)), "an allowed source is served");
        Socket denied = connect("127.0.0.2", addr);
        assertEquals(-1, denied.getInputStream().read(), "a refused source is closed without a byte");
        await(() -> counters.drops(GatewayListener.ADMIN, GatewayDropReason.NOT_ALLOWED) == 1, "the drop count");
        assertTrue(echoes(connect("127.0.0.1", addr)), "the allowed source is still served afterwards");
    }

    @Test
    void connectionsPerSourceAreCappedAndFreedOnClose() throws Exception {
        GatewayCounters counters = new GatewayCounters();
        ConnectionLimitHandler limits = new ConnectionLimitHandler(GatewayListener.SIP, 2, 0,
            CidrSet.parse("127.0.0.3"), counters);
        InetSocketAddress addr = start(limits);
        Socket a1 = connect("127.0.0.1", addr);
        Socket a2 = connect("127.0.0.1", addr);
        assertTrue(echoes(a1));
        assertTrue(echoes(a2));
        Socket a3 = connect("127.0.0.1", addr);
        assertEquals(-1, a3.getInputStream().read(), "the third connection from one source is closed");
        assertTrue(echoes(connect("127.0.0.2", addr)), "another source is not affected");
        for (int i = 0; i < 4; i++) {
            assertTrue(echoes(connect("127.0.0.3", addr)), "an exempt (trusted) source is not capped");
        }
        await(() -> counters.drops(GatewayListener.SIP, GatewayDropReason.TOO_MANY_CONNECTIONS) == 1, "the drop count");
        InetAddress lo = InetAddress.getByName("127.0.0.1");
        await(() -> limits.openConnections(lo) == 2, "the refused connection to be uncounted");
        a1.close();
        await(() -> limits.openConnections(lo) == 1, "a closed connection to free its slot");
        assertTrue(echoes(connect("127.0.0.1", addr)), "a freed slot is usable again");
    }

    @Test
    void idleConnectionIsClosedAndCounted() throws Exception {
        GatewayCounters counters = new GatewayCounters();
        InetSocketAddress addr = start(new ConnectionLimitHandler(GatewayListener.SIP, 10, 300, CidrSet.EMPTY, counters));
        Socket s = connect("127.0.0.1", addr);
        assertTrue(echoes(s));
        assertEquals(-1, s.getInputStream().read(), "closed after 300 ms without data");
        assertEquals(1, counters.drops(GatewayListener.SIP, GatewayDropReason.IDLE_TIMEOUT));
    }
}
