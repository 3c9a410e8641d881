package io.spillway.loadgen;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The shared-socket run: one epoll datagram socket is every party of every call. Sends go out in
 * batches ({@code sendmmsg}: all packets due since the last batch, each to its own relay port),
 * receives come in batches ({@code recvmmsg}), all on one event-loop thread, so one generator core
 * can drive tens of thousands of packets per second. Same schedule and stamps as {@link LoadRun}.
 */
final class EpollLoadRun implements AutoCloseable {
    private static final int DATAGRAM_BYTES = 2048;
    private static final int RECEIVE_BATCH = 64;
    /** At most this many packets per batch, so receives interleave with a catching-up sender. */
    private static final int MAX_SEND_BATCH = Integer.getInteger("loadgen.maxSendBatch", 256);
    private static final boolean RECVMMSG = Boolean.parseBoolean(System.getProperty("loadgen.recvmmsg", "true"));

    private final MultiThreadIoEventLoopGroup group;
    /**
     * The sender wakes at most this often: each wake sends everything due in one sendmmsg. Larger
     * means fewer syscalls per packet and up to this much extra send lag (which the stamps count).
     */
    private final long batchIntervalNs;
    private final Channel channel;
    private LoadRecorder recorder;
    private int streams;

    /** Binds the shared socket on {@code local} (port 0); the sender wakes every 100 us at most. */
    EpollLoadRun(InetSocketAddress local) throws InterruptedException {
        this(local, 100_000L);
    }

    /** Binds the shared socket on {@code local} (port 0) with the given send batch interval. */
    EpollLoadRun(InetSocketAddress local, long batchIntervalNs) throws InterruptedException {
        this.batchIntervalNs = Math.max(1_000L, batchIntervalNs);
        group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        try {
            Bootstrap b = new Bootstrap().group(group).channel(EpollDatagramChannel.class)
                .option(ChannelOption.SO_RCVBUF, 16 << 20)
                .option(ChannelOption.SO_SNDBUF, 16 << 20)
                .handler(new Receiver());
            if (RECVMMSG) {
                b.option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, DATAGRAM_BYTES)
                    .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(DATAGRAM_BYTES * RECEIVE_BATCH));
            }
            channel = b.bind(local).sync().channel();
        } catch (InterruptedException | RuntimeException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
    }

    InetSocketAddress localAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    /** Sends the whole schedule to {@code calls.targets} and waits for the drain time. */
    LoadReport run(LoadConfig config, LoadCalls calls) throws Exception {
        streams = config.streams();
        CompletableFuture<LoadReport> done = new CompletableFuture<>();
        EventLoop loop = channel.eventLoop();
        loop.execute(() -> {
            recorder = new LoadRecorder(streams);
            new Sender(config, calls, done).run();
        });
        long budgetNs = config.warmupNs() + config.durationNs() + config.drainNs() + 60_000_000_000L;
        return done.get(budgetNs, TimeUnit.NANOSECONDS);
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** The send schedule as a self-rescheduling event-loop task. */
    private final class Sender implements Runnable {
        private final LoadConfig config;
        private final LoadCalls calls;
        private final CompletableFuture<LoadReport> done;
        private final long[] nextSeq;
        private final double intervalNs;
        private final long startNs;
        private final long measureFromNs;
        private final long endNs;
        private long k;

        Sender(LoadConfig config, LoadCalls calls, CompletableFuture<LoadReport> done) {
            this.config = config;
            this.calls = calls;
            this.done = done;
            this.nextSeq = new long[streams];
            this.intervalNs = 1e9 / config.aggregatePps();
            this.startNs = System.nanoTime() + 50_000_000L;
            this.measureFromNs = startNs + config.warmupNs();
            this.endNs = measureFromNs + config.durationNs();
        }

        @Override
        public void run() {
            long nowNs = System.nanoTime();
            int batch = 0;
            long intendedNs = startNs + (long) (k * intervalNs);
            while (intendedNs - endNs < 0 && intendedNs - nowNs <= 0 && batch < MAX_SEND_BATCH) {
                int stream = (int) (k % streams);
                boolean measured = intendedNs - measureFromNs >= 0;
                ByteBuf buf = channel.alloc().directBuffer(LoadPacketCodec.RTP_HEADER_LENGTH + config.payloadBytes());
                LoadPacketCodec.write(buf, stream, nextSeq[stream]++, intendedNs, measured, config.payloadBytes());
                channel.write(new DatagramPacket(buf, calls.targets[stream]), channel.voidPromise());
                recorder.sent(stream, intendedNs, nowNs, measured);
                batch++;
                k++;
                intendedNs = startNs + (long) (k * intervalNs);
            }
            if (batch > 0) {
                channel.flush();
            }
            EventLoop loop = channel.eventLoop();
            if (intendedNs - endNs >= 0) {
                loop.schedule(() -> done.complete(recorder.report(config, calls.viaRelay())), config.drainNs(),
                    TimeUnit.NANOSECONDS);
                return;
            }
            // Always through the scheduled queue with a small positive delay: a task that re-enqueues
            // itself with execute() keeps the task queue non-empty and starves the socket reads.
            long waitNs = intendedNs - System.nanoTime();
            loop.schedule(this, Math.max(batchIntervalNs, waitNs), TimeUnit.NANOSECONDS);
        }
    }

    /** Records every stamped datagram that arrives on the shared socket. */
    private final class Receiver extends SimpleChannelInboundHandler<DatagramPacket> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            long nowNs = System.nanoTime();
            ByteBuf b = packet.content();
            int base = b.readerIndex();
            if (recorder == null) {
                return;
            }
            if (b.readableBytes() < LoadPacketCodec.MEASURED_OFFSET + 1) {
                recorder.foreign();
                return;
            }
            int stream = b.getInt(base + LoadPacketCodec.STREAM_OFFSET);
            if (stream < 0 || stream >= streams) {
                recorder.foreign();
                return;
            }
            recorder.received(stream, b.getLong(base + LoadPacketCodec.SEQUENCE_OFFSET),
                b.getLong(base + LoadPacketCodec.SEND_TIME_OFFSET), b.getByte(base + LoadPacketCodec.MEASURED_OFFSET) == 1,
                nowNs);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (recorder != null) {
                recorder.sendError();
            }
        }
    }
}
