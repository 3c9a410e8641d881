package io.spillway.node.lifecycle;

import io.spillway.node.call.MediaAnchorComponent;
import io.spillway.node.config.NodeConfig;
import io.spillway.node.gateway.Gateway;
import io.spillway.node.gateway.GatewayComponent;
import io.spillway.node.ng.NgControlComponent;
import io.spillway.node.overflow.ClusterComponent;
import io.spillway.node.overflow.RelayWorkload;
import io.spillway.node.registrar.RegistrarComponent;
import io.spillway.node.sip.SipComponent;
import java.util.ArrayList;
import java.util.List;

/**
 * The composition point: the components of a node, in start order (stop order is the reverse). Add a
 * component here, nowhere else.
 *
 * <p>Intended order, so that nothing takes traffic before what it needs is up:
 * <ol>
 *   <li>media relay ({@code io.spillway.node.media}): port allocator and relay loops</li>
 *   <li>cluster control protocol ({@code io.spillway.node.cluster}): peers, reservations</li>
 *   <li>ng control port ({@code io.spillway.node.ng}) when {@code ng.enabled}</li>
 *   <li>SIP transport, transactions and proxy ({@code io.spillway.node.sip}) last: once it listens,
 *       calls arrive</li>
 * </ol>
 * The admin API is not a component: the node starts it first and stops it last, so {@code /health}
 * answers throughout.
 */
public final class NodeAssembly {
    private NodeAssembly() {
    }

    /** The components for {@code config}. */
    public static List<NodeComponent> components(NodeConfig config) {
        List<NodeComponent> components = new ArrayList<>();
        // The access gateway first: its drop counters exist before any listener opens.
        Gateway gateway = Gateway.create(config);
        components.add(new GatewayComponent(gateway));
        // The SIP proxy counts the active calls (drain waits for them); each of its calls releases its
        // media when it ends, so media anchoring does not count them a second time.
        MediaAnchorComponent media = new MediaAnchorComponent(config.media(), false,
            config.security().flood().mediaMaxPacketsPerSec());
        RegistrarComponent registrar = new RegistrarComponent(config);
        components.add(media);
        components.add(registrar);
        // Workload = the relay's sessions (SIP and ng calls alike) plus calls admitted but not yet anchored.
        ClusterComponent cluster = new ClusterComponent(() -> new RelayWorkload(media::engine));
        cluster.gateway(gateway);
        components.add(cluster);
        if (config.ng().enabled()) {
            NgControlComponent ng = new NgControlComponent(media::engine, cluster::overThreshold);
            ng.gateway(gateway);
            components.add(ng);
        }
        SipComponent sip = new SipComponent(media.mediaHook(), registrar.locationService(), registrar.registrar())
            .overflow(cluster::policy);
        sip.gateway(gateway);
        components.add(sip);
        return components;
    }
}
