package io.spillway.media;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/** Shared helpers for relay tests: a fake clock, loopback parties, RTP packet builders, polling. */
final class RelayTestSupport {
    static final InetAddress V4 = InetAddress.getLoopbackAddress();
    static final InetAddress V6;
    static final long AWAIT_MS = 10_000;

    static {
        try {
            V6 = InetAddress.getByName("::1");
        } catch (IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private RelayTestSupport() {
    }

    /** A clock tests move by hand. */
    static final class FakeClock {
        final AtomicLong nowNs = new AtomicLong(TimeUnit.DAYS.toNanos(3));

        long get() {
            return nowNs.get();
        }

        void advanceMs(long ms) {
            nowNs.addAndGet(TimeUnit.MILLISECONDS.toNanos(ms));
        }
    }

    /** A random range of {@code pairs} port pairs above the usual relay range. */
    static int[] randomRange(int pairs) {
        int base = 40000 + 2 * ThreadLocalRandom.current().nextInt(0, 9000);
        return new int[] {base, base + 2 * pairs - 1};
    }

    /** A config for tests: 2 loops, fake clock, a random port range, housekeeping only on demand. */
    static MediaConfig.Builder config(FakeClock clock, int pairs) {
        int[] range = randomRange(pairs);
        return MediaConfig.builder()
            .portRange(range[0], range[1])
            .bindIpv4(V4)
            .bindIpv6(V6)
            .eventLoops(2)
            .quarantineMs(0)
            .housekeepingIntervalMs(3_600_000)
            .nowNs(clock::get);
    }

    /** An RTP packet: V=2, PT 0, given seq/timestamp/ssrc, payload bytes i*7+seq. */
    static byte[] rtp(int seq, int timestamp, int ssrc, int payloadBytes) {
        ByteBuffer b = ByteBuffer.allocate(12 + payloadBytes);
        b.put((byte) 0x80).put((byte) 0).putShort((short) seq).putInt(timestamp).putInt(ssrc);
        for (int i = 0; i < payloadBytes; i++) {
            b.put((byte) (i * 7 + seq));
        }
        return b.array();
    }

    /** An RTCP receiver report with no blocks: V=2, PT 201, length 1, sender SSRC. */
    static byte[] rtcpRr(int ssrc) {
        return ByteBuffer.allocate(8).put((byte) 0x80).put((byte) 201).putShort((short) 1)
            .putInt(ssrc).array();
    }

    /** Polls {@code condition} until true or the deadline; fails with {@code what}. */
    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(AWAIT_MS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out waiting for " + what);
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
    }

    /** A phone on loopback: one UDP socket. */
    static final class Party implements AutoCloseable {
        final DatagramSocket socket;
        final InetAddress relayAddress;

        Party(InetAddress address) throws IOException {
            socket = new DatagramSocket(new InetSocketAddress(address, 0));
            socket.setSoTimeout((int) AWAIT_MS);
            relayAddress = address;
        }

        InetSocketAddress address() {
            return (InetSocketAddress) socket.getLocalSocketAddress();
        }

        void send(byte[] data, int relayPort) throws IOException {
            socket.send(new DatagramPacket(data, data.length, relayAddress, relayPort));
        }

        /** Receives one datagram (fails after the await timeout). */
        DatagramPacket receive() throws IOException {
            byte[] buf = new byte[70_000];
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(p);
            } catch (SocketTimeoutException e) {
                throw new AssertionError("no datagram within " + AWAIT_MS + " ms at " + address());
            }
            return p;
        }

        /** Receives one datagram and returns its bytes. */
        byte[] receiveBytes() throws IOException {
            DatagramPacket p = receive();
            return Arrays.copyOf(p.getData(), p.getLength());
        }

        @Override
        public void close() {
            socket.close();
        }
    }
}
