package io.spillway.node.e2e;

import io.spillway.node.call.MediaAnchorComponent;
import io.spillway.node.call.RelayMediaHook;
import io.spillway.node.config.ConfigLoader;
import io.spillway.node.config.ConfigSource;
import io.spillway.node.config.NodeConfig;
import io.spillway.node.lifecycle.NodeAssembly;
import io.spillway.node.lifecycle.NodeComponent;
import io.spillway.node.lifecycle.SpillwayNode;
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

    private E2eNode(SpillwayNode node, int sipPort, MediaAnchorComponent media) {
        this.node = node;
        this.sipPort = sipPort;
        this.media = media;
    }

    /** Starts a node with these extra {@code --set} overrides. */
    static E2eNode start(String... sets) throws Exception {
        int sipPort = FreePorts.tcpAndUdp();
        int portMin = 44000 + 2 * ThreadLocalRandom.current().nextInt(5000);
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
        for (NodeComponent c : components) {
            if (c instanceof MediaAnchorComponent m) {
                media = m;
            }
        }
        if (media == null) {
            throw new IllegalStateException("NodeAssembly has no MediaAnchorComponent");
        }
        SpillwayNode node = new SpillwayNode(source, config, components, Map.of());
        node.start();
        return new E2eNode(node, sipPort, media);
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
