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
import io.spillway.node.testsupport.FreePorts;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

    /**
     * Ports free for TCP and UDP on loopback, all different from each other and from {@code taken}
     * (FreePorts alone may hand out the same ephemeral port twice when nothing holds it between calls).
     */
    static int[] distinctPorts(int count, int... taken) {
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (int t : taken) {
            seen.add(t);
        }
        int[] out = new int[count];
        int n = 0;
        for (int attempt = 0; n < count && attempt < 1000; attempt++) {
            int p = FreePorts.tcpAndUdp();
            // SIPp also binds media_port + 1 (RTCP) and + 2 (video): keep a gap.
            if (seen.add(p) && seen.add(p + 1) && seen.add(p + 2) && seen.add(p - 1) && seen.add(p - 2)) {
                out[n++] = p;
            }
        }
        if (n < count) {
            throw new IllegalStateException("could not find " + count + " distinct free ports");
        }
        return out;
    }

    /** Starts a node on SIP port {@code sipPort} with these extra {@code --set} overrides. */
    static E2eNode start(int sipPort, String... sets) throws Exception {
        // Relay ports below the kernel's ephemeral range, so they never collide with SIPp's ports.
        int portMin = 20000 + 2 * ThreadLocalRandom.current().nextInt(5000);
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
