package io.spillway.node.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * Ports free on loopback for both TCP and UDP, for processes that must be told their port in advance.
 * (In-process tests bind port 0 instead.) A port can be taken between this call and its use; the
 * window is small and the tests fail loudly if it happens.
 */
public final class FreePorts {
    private FreePorts() {
    }

    public static int tcpAndUdp() {
        for (int attempt = 0; attempt < 50; attempt++) {
            try (ServerSocket tcp = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                int port = tcp.getLocalPort();
                try (DatagramSocket udp = new DatagramSocket(port, InetAddress.getLoopbackAddress())) {
                    return udp.getLocalPort();
                } catch (IOException e) {
                    // UDP side taken: try another
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new IllegalStateException("no free loopback port after 50 attempts");
    }
}
