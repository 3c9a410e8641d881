package io.spillway.node.ng;

import static io.spillway.node.ng.NgSdpEditorTest.fixture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spillway.media.MediaConfig;
import io.spillway.media.RelayEngine;
import io.spillway.node.config.ConfigLoader;
import io.spillway.node.config.ConfigSource;
import io.spillway.node.lifecycle.SpillwayNode;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The ng port as a daemon component: {@code [ng]} config, metrics, active calls, drain. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NgControlComponentIT {
    private RelayEngine engine;
    private SpillwayNode node;

    @AfterEach
    void stop() {
        if (node != null) {
            node.stop();
        }
        if (engine != null) {
            engine.close();
        }
    }

    private NgControlComponent startNode(boolean enabled, AtomicBoolean over) throws Exception {
        engine = new RelayEngine(MediaConfig.builder().portRange(45_000, 45_499).eventLoops(1)
            .bindIpv4(InetAddress.getLoopbackAddress()).build());
        engine.start();
        NgControlComponent ng = new NgControlComponent(() -> engine, over::get);
        ConfigSource source = new ConfigSource(null, List.of("admin.listen=127.0.0.1:0", "media.event_loops=1",
            "ng.enabled=" + enabled, "ng.listen=127.0.0.1:0"));
        node = new SpillwayNode(source, ConfigLoader.load(source), List.of(ng), Map.of());
        node.start();
        return ng;
    }

    private BencodeValue.Dict offer(String callId) throws Exception {
        return new NgDictBuilder().put("command", "offer").put("call-id", callId).put("from-tag", "f")
            .put("sdp", fixture("offer-audio-video.sdp")).putTexts("supports", List.of("load limit")).build();
    }

    @Test
    void servesCountsAndStopsTakingCallsWhenDraining() throws Exception {
        AtomicBoolean over = new AtomicBoolean();
        NgControlComponent ng = startNode(true, over);
        try (NgTestClient client = new NgTestClient(ng.localAddress())) {
            assertEquals("pong", client.request(new NgDictBuilder().put("command", "ping").build()).text("result"));
            assertEquals("ok", client.request(offer("c1")).text("result"));
            assertEquals(1, node.activeCalls(), "ng calls count towards the node's active calls");
            over.set(true);
            assertEquals("load limit", client.request(offer("c2")).text("result"));
            over.set(false);
            node.drain();
            long deadlineNs = System.nanoTime() + 10_000_000_000L;
            while (!ng.draining() && deadlineNs - System.nanoTime() > 0) {
                Thread.sleep(10); // the node tells components on its lifecycle thread
            }
            assertEquals("load limit", client.request(offer("c3")).text("result"), "draining takes no new calls");
            assertEquals("ok", client.request(offer("c1")).text("result"), "re-offer of a live call still works");
        }
        StringBuilder metrics = new StringBuilder();
        node.metrics().writeTo(metrics);
        String text = metrics.toString();
        assertTrue(text.contains("spillway_ng_commands_total{command=\"ping\",result=\"pong\"} 1\n"), text);
        assertTrue(text.contains("spillway_ng_commands_total{command=\"offer\",result=\"ok\"} 2\n"), text);
        assertTrue(text.contains("spillway_ng_commands_total{command=\"offer\",result=\"load limit\"} 2\n"), text);
        assertTrue(text.contains("spillway_ng_retransmissions_total 0\n"), text);
        assertTrue(text.contains("spillway_ng_calls 1\n"), text);
    }

    @Test
    void disabledPortOpensNothing() throws Exception {
        NgControlComponent ng = startNode(false, new AtomicBoolean());
        assertNull(ng.localAddress());
    }
}
