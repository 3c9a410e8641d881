package io.spillway.node.gateway;

import io.spillway.node.lifecycle.NodeComponent;
import io.spillway.node.lifecycle.NodeContext;

/**
 * The gateway as a node component, listed first in {@code NodeAssembly} so its metrics exist before
 * any listener opens; the listeners' components take the {@link Gateway} in their constructors.
 */
public final class GatewayComponent implements NodeComponent {
    private final Gateway gateway;

    public GatewayComponent(Gateway gateway) {
        this.gateway = gateway;
    }

    @Override
    public String name() {
        return "gateway";
    }

    @Override
    public void start(NodeContext context) {
        gateway.register(context.metrics());
    }

    @Override
    public void stop() {
        // nothing to release: no threads, no sockets
    }

    public Gateway gateway() {
        return gateway;
    }
}
