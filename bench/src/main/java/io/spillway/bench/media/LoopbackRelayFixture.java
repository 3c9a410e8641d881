package io.spillway.bench.media;

import io.spillway.media.IpFamily;
import io.spillway.media.LegSpec;
import io.spillway.media.MediaConfig;
import io.spillway.media.MediaType;
import io.spillway.media.RelayEngine;
import io.spillway.media.SessionSpec;
import io.spillway.media.StreamPorts;
import io.spillway.media.StreamSpec;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The sockets the loopback relay benchmarks send through: a one-loop relay with one audio session
 * whose caller and callee are connected NIO channels, and a directly connected pair of channels
 * as the no-relay baseline.
 */
final class LoopbackRelayFixture implements AutoCloseable {
    final RelayEngine engine;
    final DatagramChannel caller;
    final DatagramChannel callee;
    final DatagramChannel directFrom;
    final DatagramChannel directTo;

    /**
     * @param portMin first relay port (each benchmark uses its own range)
     * @param portMax last relay port
     * @param socketBufferBytes SO_RCVBUF for every socket, relay's included; 0 keeps the OS default
     */
    LoopbackRelayFixture(int portMin, int portMax, int socketBufferBytes) throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        MediaConfig.Builder config = MediaConfig.builder().bindIpv4(loopback).eventLoops(1)
            .portRange(portMin, portMax).quarantineMs(0);
        if (socketBufferBytes > 0) {
            config.socketBufferBytes(socketBufferBytes);
        }
        engine = new RelayEngine(config.build());
        engine.start();
        caller = open(loopback, socketBufferBytes);
        callee = open(loopback, socketBufferBytes);
        StreamPorts ports = engine.createSession(new SessionSpec("bench", 1, List.of(new StreamSpec(
            MediaType.AUDIO, 0,
            new LegSpec(IpFamily.IPV4, false, (InetSocketAddress) caller.getLocalAddress(), null),
            new LegSpec(IpFamily.IPV4, false, (InetSocketAddress) callee.getLocalAddress(), null)))), null)
            .get(10, TimeUnit.SECONDS).stream(0);
        caller.connect(new InetSocketAddress(loopback, ports.a().rtpPort()));
        callee.connect(new InetSocketAddress(loopback, ports.b().rtpPort()));
        directFrom = open(loopback, socketBufferBytes);
        directTo = open(loopback, socketBufferBytes);
        directFrom.connect(directTo.getLocalAddress());
        directTo.connect(directFrom.getLocalAddress());
    }

    /** A 12-byte RTP header (version 2, PT 0) and {@code payloadBytes} of zeros, in a direct buffer. */
    static ByteBuffer rtpPacket(int payloadBytes) {
        ByteBuffer out = ByteBuffer.allocateDirect(12 + payloadBytes);
        out.put((byte) 0x80).put((byte) 0).putShort((short) 1).putInt(160).putInt(0x5EED);
        out.position(0);
        return out;
    }

    private static DatagramChannel open(InetAddress address, int socketBufferBytes) throws IOException {
        DatagramChannel channel = DatagramChannel.open();
        channel.bind(new InetSocketAddress(address, 0));
        if (socketBufferBytes > 0) {
            channel.setOption(StandardSocketOptions.SO_RCVBUF, socketBufferBytes);
        }
        channel.configureBlocking(false);
        return channel;
    }

    @Override
    public void close() throws Exception {
        caller.close();
        callee.close();
        directFrom.close();
        directTo.close();
        engine.close();
    }
}
