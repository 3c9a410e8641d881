package io.spillway.node.e2e;

import io.spillway.node.call.MediaAnchorComponent;
import io.spillway.node.call.RelayMediaHook;
import io.spillway.node.config.ConfigLoader;
import io.spillway.node.config.ConfigSource;
import io.spillway.node.config.NodeConfig;
import io.spillway.node.lifecycle.NodeAssembly;
import io.spillway.node.lifecycle.NodeComponent;
import io.spillway.node.lifecycle.SpillwayNode;
import io.spillway.node.registrar.RegistrarComponent;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A whole node in this JVM, assembled exactly as {@code spillway run} assembles it, on loopback:
 * SIP on a free UDP/TCP port, admin on port 0, a private relay port range; the test reaches its
 * relay engine and media hook for counters.
 */
final class E2eNode implements AutoCloseable {
    final SpillwayNode node;
    final int sipPort;
    final MediaAnchorComponent media;
    final RegistrarComponent registrar;

    private E2eNode(SpillwayNode node, int sipPort, MediaAnchorComponent media, RegistrarComponent registrar) {
        this.node = node;
        this.sipPort = sipPort;
        this.media = media;
        this.registrar = registrar;
    }

    /** SIP and SIPp media ports come from here: above the relay window, above the kernel's ephemeral range. */
    private static final int TEST_PORT_MIN = 64600;
    private static final int TEST_PORT_MAX = 65500;
    /** The relay window of e2e nodes; bench scripts on this machine hold ports anywhere in 12000-59999. */
    private static final int RELAY_PORT_MIN = 61000;
    private static final int RELAY_PORT_MAX = 64599;
    private static final InetAddress IPV6_LOOPBACK = new InetSocketAddress("::1", 0).getAddress();

    /**
     * {@code count} ports, each with the next three (SIPp binds media_port + 1 and + 2) free for TCP
     * and UDP on IPv4 and IPv6 loopback, far apart from each other, in a window no bench or kernel
     * ephemeral allocation uses.
     */
    static int[] distinctPorts(int count) {
        Set<Integer> used = new HashSet<>();
        int[] out = new int[count];
        int n = 0;
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int attempt = 0; n < count && attempt < 2000; attempt++) {
            int p = TEST_PORT_MIN + 4 * random.nextInt((TEST_PORT_MAX - TEST_PORT_MIN) / 4);
            if (used.contains(p) || !isFree(p) || !isFree(p + 1) || !isFree(p + 2) || !isFree(p + 3)) {
                continue;
            }
            used.add(p);
            out[n++] = p;
        }
        if (n < count) {
            throw new IllegalStateException("could not find " + count + " free port groups in " + TEST_PORT_MIN
                + "-" + TEST_PORT_MAX);
        }
        return out;
    }

    private static boolean isFree(int port) {
        for (InetAddress a : new InetAddress[] {InetAddress.getLoopbackAddress(), IPV6_LOOPBACK}) {
            try (ServerSocket tcp = new ServerSocket(port, 1, a);
                 DatagramSocket udp = new DatagramSocket(new InetSocketAddress(a, port))) {
                // bound both: free
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }

    /** The first port of a 400-port relay range inside the e2e relay window (the range is random, as are the tests'). */
    static int relayPortMin() {
        return RELAY_PORT_MIN + 2 * ThreadLocalRandom.current().nextInt((RELAY_PORT_MAX - RELAY_PORT_MIN - 400) / 2);
    }

    /** Starts a node on SIP port {@code sipPort} with these extra {@code --set} overrides. */
    static E2eNode start(int sipPort, String... sets) throws Exception {
        int portMin = relayPortMin();
        List<String> all = new ArrayList<>(List.of(
            "sip.listen=127.0.0.1", "sip.udp_port=" + sipPort, "sip.tcp_port=" + sipPort,
            "admin.listen=127.0.0.1:0", "cluster.control_listen=127.0.0.1:0",
            "media.bind=127.0.0.1", "media.port_min=" + portMin, "media.port_max=" + (portMin + 399),
            "media.quarantine=0s", "media.event_loops=1", "lifecycle.watchdog=false"));
        all.addAll(List.of(sets));
        ConfigSource source = new ConfigSource(null, all);
        NodeConfig config = ConfigLoader.load(source);
        List<NodeComponent> components = NodeAssembly.components(config);
        MediaAnchorComponent media = null;
        RegistrarComponent registrar = null;
        for (NodeComponent c : components) {
            if (c instanceof MediaAnchorComponent m) {
                media = m;
            } else if (c instanceof RegistrarComponent r) {
                registrar = r;
            }
        }
        if (media == null || registrar == null) {
            throw new IllegalStateException("NodeAssembly lacks the media or registrar component");
        }
        SpillwayNode node = new SpillwayNode(source, config, components, Map.of());
        node.start();
        return new E2eNode(node, sipPort, media, registrar);
    }

    RelayMediaHook hook() {
        return (RelayMediaHook) media.mediaHook();
    }

    InetSocketAddress admin() {
        return node.adminAddress();
    }

    @Override
    public void close() {
        node.stop();
    }
}
