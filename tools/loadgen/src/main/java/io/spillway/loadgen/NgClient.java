package io.spillway.loadgen;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * A blocking ng client: sends {@code cookie SP bencode(request)}, waits for the reply with the same
 * cookie, retransmits the identical datagram on timeout (as Kamailio does). Not thread-safe.
 */
final class NgClient implements AutoCloseable {
    private static final int TIMEOUT_MS = 1_000;
    private static final int ATTEMPTS = 4;

    private final DatagramSocket socket;
    private final String cookiePrefix = Long.toHexString(System.nanoTime()) + "_";
    private long sequence;

    NgClient(InetSocketAddress server) throws IOException {
        socket = new DatagramSocket(new InetSocketAddress(server.getAddress().getAddress().length == 4
            ? "127.0.0.1" : "::1", 0));
        socket.connect(server);
        socket.setSoTimeout(TIMEOUT_MS);
    }

    /** Sends {@code request} and returns the decoded reply dictionary. */
    @SuppressWarnings("unchecked")
    Map<String, Object> request(Map<String, Object> request) throws IOException {
        String cookie = cookiePrefix + (sequence++);
        byte[] body = NgClientCodec.encode(request);
        byte[] datagram = new byte[cookie.length() + 1 + body.length];
        System.arraycopy(cookie.getBytes(StandardCharsets.US_ASCII), 0, datagram, 0, cookie.length());
        datagram[cookie.length()] = ' ';
        System.arraycopy(body, 0, datagram, cookie.length() + 1, body.length);
        byte[] in = new byte[65_535];
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            socket.send(new DatagramPacket(datagram, datagram.length));
            long deadlineNs = System.nanoTime() + TIMEOUT_MS * 1_000_000L;
            while (deadlineNs - System.nanoTime() > 0) {
                DatagramPacket reply = new DatagramPacket(in, in.length);
                try {
                    socket.receive(reply);
                } catch (SocketTimeoutException e) {
                    break;
                }
                int space = indexOfSpace(in, reply.getLength());
                if (space == cookie.length() && Arrays.equals(in, 0, space,
                    datagram, 0, space)) {
                    return (Map<String, Object>) NgClientCodec.decode(Arrays.copyOf(in, reply.getLength()), space + 1);
                }
            }
        }
        throw new IOException("no ng reply to " + request.get("command") + " after " + ATTEMPTS + " attempts");
    }

    private static int indexOfSpace(byte[] b, int length) {
        for (int i = 0; i < length; i++) {
            if (b[i] == ' ') {
                return i;
            }
        }
        return -1;
    }

    @Override
    public void close() {
        socket.close();
    }
}
