package io.spillway.node.lifecycle;

import io.spillway.node.config.NodeConfig;
import io.spillway.node.overflow.ClusterComponent;
import io.spillway.node.overflow.RelayWorkload;
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
        // media:   components.add(new MediaRelayComponent());
        // Until the media relay component is assembled, the cluster sees only admitted calls.
        ClusterComponent cluster = new ClusterComponent(RelayWorkload::none);
        components.add(cluster);
        // ng:      if (config.ng().enabled()) components.add(new NgControlComponent());
        // sip:     components.add(new SipComponent());   (answers OPTIONS 200, others 501 to start with)
        return components;
    }
}
