package io.spillway.node.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.spillway.node.call.MediaAnchorComponent;
import io.spillway.node.config.ConfigLoader;
import io.spillway.node.config.ConfigSource;
import io.spillway.node.config.NodeConfig;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The node's own loops hold no relay group; {@code media.event_loops} sizes the relay engine's loops. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class NodeEventLoopsTest {

    private static NodeConfig load(String... sets) {
        return ConfigLoader.load(new ConfigSource(null, List.of(sets)));
    }

    @Test
    void nodeLoopsAreSignallingAndAdminOnly() {
        try (NodeEventLoops loops = new NodeEventLoops(1)) {
            assertEquals(List.of(loops.signalling(), loops.admin()), loops.all(),
                "the relay engine owns the media loops; an idle duplicate group here only costs threads");
        }
    }

    @Test
    void mediaEventLoopsSizesTheRelayEngine() {
        NodeConfig c = load("media.event_loops=3");
        assertEquals(3, MediaAnchorComponent.mediaConfig(c.media()).eventLoops());
        int cores = Runtime.getRuntime().availableProcessors();
        assertEquals(cores, MediaAnchorComponent.mediaConfig(load().media()).eventLoops(),
            "0 (the default) means one relay loop per core");
    }
}
