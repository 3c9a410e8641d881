package io.spillway.node.call;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;

/**
 * A test media endpoint: one UDP socket on loopback (port 0) that sends numbered RTP (or RTCP)
 * packets and counts what it receives, with deadlines instead of sleeps.
 */
public final class RtpParty implements AutoCloseable {
    private final DatagramSocket socket;
    private final int ssrc;
    private int seq;

    public RtpParty(int ssrc) {
        try {
            socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            socket.setSoTimeout(50);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.ssrc = ssrc;
    }

    public int port() {
        return socket.getLocalPort();
    }

    /** Sends {@code count} 172-byte RTP packets (G.711, 20 ms) to {@code port} on loopback. */
    public void sendRtp(int port, int count) {
        for (int i = 0; i < count; i++) {
            byte[] p = new byte[172];
            p[0] = (byte) 0x80;
            p[1] = 8;
            p[2] = (byte) (seq >>> 8);
            p[3] = (byte) seq;
            int ts = seq * 160;
            p[4] = (byte) (ts >>> 24);
            p[5] = (byte) (ts >>> 16);
            p[6] = (byte) (ts >>> 8);
            p[7] = (byte) ts;
            p[8] = (byte) (ssrc >>> 24);
            p[9] = (byte) (ssrc >>> 16);
            p[10] = (byte) (ssrc >>> 8);
            p[11] = (byte) ssrc;
            seq++;
            send(p, port);
        }
    }

    /** Sends one RTCP receiver report (PT 201) to {@code port}. */
    public void sendRtcp(int port) {
        byte[] p = new byte[8];
        p[0] = (byte) 0x80;
        p[1] = (byte) 201;
        p[3] = 1;
        p[4] = (byte) (ssrc >>> 24);
        p[5] = (byte) (ssrc >>> 16);
        p[6] = (byte) (ssrc >>> 8);
        p[7] = (byte) ssrc;
        send(p, port);
    }

    private void send(byte[] p, int port) {
        try {
            socket.send(new DatagramPacket(p, p.length, InetAddress.getLoopbackAddress(), port));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Receives until {@code expected} datagrams arrived or {@code timeoutMs} passed.
     *
     * @return how many arrived (may be below {@code expected}; never waits for more)
     */
    public int receive(int expected, long timeoutMs) {
        long deadlineNs = System.nanoTime() + timeoutMs * 1_000_000L;
        int got = 0;
        byte[] buf = new byte[2048];
        while (got < expected && deadlineNs - System.nanoTime() > 0) {
            try {
                socket.receive(new DatagramPacket(buf, buf.length));
                got++;
            } catch (SocketTimeoutException e) {
                // poll again until the deadline
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return got;
    }

    /** Waits {@code quietMs} and returns how many datagrams arrived meanwhile. */
    public int drainFor(long quietMs) {
        return receive(Integer.MAX_VALUE, quietMs);
    }

    @Override
    public void close() {
        socket.close();
    }
}
