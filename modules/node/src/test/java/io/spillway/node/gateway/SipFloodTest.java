package io.spillway.node.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.spillway.node.config.ConfigLoader;
import io.spillway.node.config.ConfigSource;
import io.spillway.node.config.NodeConfig;
import io.spillway.sip.SipMessage;
import io.spillway.sip.SipParseException;
import io.spillway.sip.SipParser;
import io.spillway.sip.SipRequest;
import io.spillway.sip.SipResponseBuilder;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An INVITE flood of 10,000 requests/s from one loopback source against a UDP SIP responder guarded
 * by {@link SipGuard} (built from the config, as the node builds it): the flood is throttled to the
 * source's rate while OPTIONS from a second source (127.0.0.2) are all still answered.
 */
@Tag("slow")
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SipFloodTest {
    private static String request(String method, int n) {
        return method + " sip:relay@127.0.0.1 SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP 127.0.0.1:5999;branch=z9hG4bK-" + method + n + "\r\n"
            + "Max-Forwards: 70\r\nFrom: <sip:a@x>;tag=1\r\nTo: <sip:relay@127.0.0.1>\r\n"
            + "Call-ID: " + method + n + "@flood\r\nCSeq: 1 " + method + "\r\nContent-Length: 0\r\n\r\n";
    }

    @Test
    void floodFromOneSourceIsThrottledWhileAnotherSourceIsAnswered() throws Exception {
        NodeConfig config = ConfigLoader.load(new ConfigSource(null, List.of(
            "security.flood.sip_rate_per_sec=100", "security.flood.sip_burst=50")));
        Gateway gateway = new Gateway(config.security(), List.of(), System::nanoTime, System::currentTimeMillis);
        SipGuard guard = gateway.sip();
        AtomicLong invitesSeen = new AtomicLong();
        AtomicLong floodReceived = new AtomicLong();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            Channel server = new Bootstrap().group(group).channel(NioDatagramChannel.class)
                .option(io.netty.channel.ChannelOption.SO_RCVBUF, 4 << 20)
                .handler(new SimpleChannelInboundHandler<DatagramPacket>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket p) {
                        if (p.sender().getAddress().getHostAddress().equals("127.0.0.1")) {
                            floodReceived.incrementAndGet();
                        }
                        if (!guard.admit(p.sender().getAddress())) {
                            return;
                        }
                        try {
                            SipMessage m = SipParser.parse(p.content());
                            if (m instanceof SipRequest r && r.isMethod("OPTIONS")) {
                                byte[] ok = SipResponseBuilder.forRequest(r, 200, "OK").toTag("t").toBytes();
                                ctx.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(ok), p.sender()));
                            } else if (m instanceof SipRequest r && r.isMethod("INVITE")) {
                                invitesSeen.incrementAndGet();
                            }
                        } catch (SipParseException e) {
                            // dropped
                        }
                    }
                }).bind(InetAddress.getByName("127.0.0.1"), 0).sync().channel();
            InetSocketAddress target = (InetSocketAddress) server.localAddress();

            Thread flooder = new Thread(() -> flood(target), "flooder");
            long start = System.nanoTime();
            flooder.start();
            int answered = 0;
            int probes = 0;
            try (java.net.DatagramSocket probe = new java.net.DatagramSocket(
                new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0))) {
                probe.setSoTimeout(500);
                for (int i = 0; i < 20 && flooder.isAlive() || i < 5; i++) {
                    probes++;
                    answered += options(probe, target, i) ? 1 : 0;
                    Thread.sleep(40);
                }
                flooder.join(30_000);
                // let the listener drain its socket buffer before reading the counters
                long last = -1;
                while (floodReceived.get() != last) {
                    last = floodReceived.get();
                    Thread.sleep(300);
                }
                long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                System.out.printf("flood: %d ms, %d INVITEs received, %d let through, %d/%d OPTIONS answered%n",
                    elapsedMs, floodReceived.get(), invitesSeen.get(), answered, probes);
                assertEquals(probes, answered, "every OPTIONS from the second source was answered");
                long limited = gateway.counters().drops(GatewayListener.SIP, GatewayDropReason.RATE_LIMITED);
                long allowedMax = 50 + 100 * (elapsedMs + 1000) / 1000;
                assertTrue(invitesSeen.get() <= allowedMax,
                    "INVITEs through " + invitesSeen.get() + " > burst + rate x " + elapsedMs + " ms");
                long received = floodReceived.get();
                assertTrue(received >= 5_000, "the flood reached the listener: " + received + " of 10,000");
                assertEquals(received - invitesSeen.get(), limited,
                    "every flood datagram not let through was dropped as rate_limited");
                assertTrue(limited >= received - allowedMax, "rate_limited " + limited + " of " + received);
                assertTrue(invitesSeen.get() > 0, "the flooding source still gets its fair share");
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    /** 10,000 INVITEs paced at 10,000/s (bounded in count and time). */
    private static void flood(InetSocketAddress target) {
        try (java.net.DatagramSocket s = new java.net.DatagramSocket(
            new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0))) {
            long start = System.nanoTime();
            long deadline = start + TimeUnit.SECONDS.toNanos(20);
            for (int i = 0; i < 10_000 && deadline - System.nanoTime() > 0; i++) {
                byte[] b = request("INVITE", i).getBytes(StandardCharsets.US_ASCII);
                s.send(new java.net.DatagramPacket(b, b.length, target));
                long due = start + i * 100_000L;
                while (due - System.nanoTime() > 0) {
                    Thread.onSpinWait();
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** One OPTIONS with up to 5 tries (UDP, a loaded CI machine); true when a 200 came back. */
    private static boolean options(java.net.DatagramSocket s, InetSocketAddress target, int n) throws Exception {
        byte[] b = request("OPTIONS", n).getBytes(StandardCharsets.US_ASCII);
        byte[] buf = new byte[2048];
        for (int attempt = 0; attempt < 5; attempt++) {
            s.send(new java.net.DatagramPacket(b, b.length, target));
            try {
                java.net.DatagramPacket p = new java.net.DatagramPacket(buf, buf.length);
                s.receive(p);
                String text = new String(p.getData(), 0, p.getLength(), StandardCharsets.US_ASCII);
                if (text.startsWith("SIP/2.0 200")) {
                    return true;
                }
            } catch (SocketTimeoutException e) {
                // retry
            }
        }
        return false;
    }
}
