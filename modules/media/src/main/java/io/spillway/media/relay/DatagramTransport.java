package io.spillway.media.relay;

import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.spillway.media.IpFamily;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Chooses the datagram transport (native epoll with recvmmsg when available, else NIO) and
 * creates configured relay channels. Datagrams are read one byte beyond the maximum packet size so
 * an oversize datagram shows up as longer than the limit (and is dropped) instead of silently
 * truncated.
 */
public final class DatagramTransport {
    private static final Logger LOG = Logger.getLogger(DatagramTransport.class.getName());

    /** Upper bound of one recvmmsg buffer, so jumbo limits do not make every read a huge buffer. */
    private static final int MAX_READ_BUFFER_BYTES = 64 * 1024;

    private final boolean epoll;
    private final int readSlotBytes;
    private final int batchDatagrams;
    private final int socketBufferBytes;

    private DatagramTransport(boolean epoll, int maxPacketBytes, int batchDatagrams, int socketBufferBytes) {
        this.epoll = epoll;
        this.readSlotBytes = maxPacketBytes + 1;
        this.batchDatagrams = Math.max(1, Math.min(batchDatagrams, MAX_READ_BUFFER_BYTES / readSlotBytes));
        this.socketBufferBytes = socketBufferBytes;
    }

    /** Epoll when preferred and available, with OS default socket buffers. */
    public static DatagramTransport select(boolean preferEpoll, int maxPacketBytes, int batchDatagrams) {
        return select(preferEpoll, maxPacketBytes, batchDatagrams, 0);
    }

    /**
     * Epoll when preferred and available; NIO otherwise, with a warning saying why.
     *
     * @param socketBufferBytes SO_RCVBUF/SO_SNDBUF of relay sockets, 0 for the OS default
     */
    public static DatagramTransport select(boolean preferEpoll, int maxPacketBytes, int batchDatagrams,
                                           int socketBufferBytes) {
        boolean useEpoll = preferEpoll && Epoll.isAvailable();
        if (!useEpoll) {
            LOG.log(Level.WARNING, "media relay uses NIO (one datagram per syscall): {0}",
                preferEpoll ? String.valueOf(Epoll.unavailabilityCause()) : "epoll disabled by config");
        }
        return new DatagramTransport(useEpoll, maxPacketBytes, batchDatagrams, socketBufferBytes);
    }

    public boolean isEpoll() {
        return epoll;
    }

    public IoHandlerFactory ioHandlerFactory() {
        return epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    }

    /** A new unregistered channel of {@code family}, with relay socket options set. */
    public DatagramChannel newChannel(IpFamily family) {
        SocketProtocolFamily protocolFamily =
            family == IpFamily.IPV4 ? SocketProtocolFamily.INET : SocketProtocolFamily.INET6;
        DatagramChannel channel;
        if (epoll) {
            channel = new EpollDatagramChannel(protocolFamily);
            channel.config().setOption(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, readSlotBytes);
            channel.config().setRecvByteBufAllocator(
                new FixedRecvByteBufAllocator(readSlotBytes * batchDatagrams));
        } else {
            channel = new NioDatagramChannel(protocolFamily);
            channel.config().setRecvByteBufAllocator(new FixedRecvByteBufAllocator(readSlotBytes));
        }
        channel.config().setOption(ChannelOption.SO_REUSEADDR, false);
        if (socketBufferBytes > 0) {
            channel.config().setOption(ChannelOption.SO_RCVBUF, socketBufferBytes);
            channel.config().setOption(ChannelOption.SO_SNDBUF, socketBufferBytes);
        }
        return channel;
    }
}
