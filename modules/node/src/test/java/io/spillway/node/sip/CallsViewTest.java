package io.spillway.node.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spillway.node.call.MediaAnchorComponent;
import io.spillway.node.config.ConfigLoader;
import io.spillway.node.config.ConfigSource;
import io.spillway.node.config.NodeConfig;
import io.spillway.node.lifecycle.SpillwayNode;
import io.spillway.node.testsupport.AdminClient;
import io.spillway.node.testsupport.SipUdpClient;
import io.spillway.sip.SipMessage;
import io.spillway.sip.SipRequest;
import io.spillway.sip.SipResponse;
import io.spillway.sip.SipResponseBuilder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code GET /calls} on a node with the proxy and media anchoring: one entry per call, both halves in it. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CallsViewTest {

    @Test
    void oneEntryPerCallWithDialogAndMedia() throws Exception {
        int portMin = 61000 + 2 * ThreadLocalRandom.current().nextInt(1500);
        try (SipUdpClient uas = new SipUdpClient(); SipUdpClient uac = new SipUdpClient()) {
            ConfigSource source = new ConfigSource(null, List.of("admin.listen=127.0.0.1:0", "media.event_loops=1",
                "sip.listen=127.0.0.1", "sip.udp_port=0", "sip.tcp_port=0", "media.bind=127.0.0.1",
                "media.port_min=" + portMin, "media.port_max=" + (portMin + 39), "lifecycle.watchdog=false",
                "routes.0.prefix=1000", "routes.0.uri=sip:127.0.0.1:" + uas.port()));
            NodeConfig config = ConfigLoader.load(source);
            MediaAnchorComponent media = new MediaAnchorComponent(config.media(), false);
            SipComponent sip = new SipComponent(media.mediaHook(), (user, domain) -> List.of());
            sip.dropFilter(d -> !d.address().getAddress().isLoopbackAddress());
            SpillwayNode node = new SpillwayNode(source, config, List.of(media, sip), Map.of());
            node.start();
            try {
                String ruri = "sip:1000@127.0.0.1:" + sip.udpAddresses().get(0).getPort();
                uac.send(SipProxyTest.invite(ruri, "v1", ""), sip.udpAddresses().get(0));
                SipRequest fwd = (SipRequest) uas.receive(5000);
                assertNotNull(fwd);
                uas.send(SipResponseBuilder.forRequest(fwd, 200, "OK").toTag("b1")
                    .header("Contact", "<sip:bob@127.0.0.1:" + uas.port() + ">")
                    .body("application/sdp", ("v=0\r\no=- 2 2 IN IP4 127.0.0.1\r\ns=bob\r\nc=IN IP4 127.0.0.1\r\n"
                        + "t=0 0\r\nm=audio 5000 RTP/AVP 0\r\n").getBytes(StandardCharsets.UTF_8)).toBytes(),
                    sip.udpAddresses().get(0));
                SipMessage ok = null;
                for (int i = 0; i < 5 && !(ok instanceof SipResponse r && r.statusCode() == 200); i++) {
                    ok = uac.receive(5000);
                }
                assertTrue(ok instanceof SipResponse r && r.statusCode() == 200, String.valueOf(ok));

                String body = new AdminClient("127.0.0.1", node.adminAddress().getPort()).get("/calls").body();
                JsonNode calls = new ObjectMapper().readTree(body);
                assertEquals(1, calls.size(), "the proxy's and the relay's view of one call are one entry: " + body);
                JsonNode call = calls.get(0);
                assertEquals("v1@test", call.get("call_id").asText(), body);
                assertEquals("a1", call.get("caller_tag").asText(), body);
                assertEquals("b1", call.get("callee_tag").asText(), body);
                assertEquals("confirmed", call.get("state").asText(), body);
                assertTrue(call.get("session_id").asLong() > 0, body);
                assertTrue(call.get("age_ms").asLong() >= 0, body);
                JsonNode stream = call.get("streams").get(0);
                assertEquals("audio", stream.get("type").asText(), body);
                assertEquals("127.0.0.1:4000", stream.get("a").get("remote").asText(), body);
                assertEquals("127.0.0.1:5000", stream.get("b").get("remote").asText(), body);
                assertTrue(stream.get("a").get("relayRtpPort").asInt() >= portMin, body);
                assertEquals(0, stream.get("a").get("packetsIn").asLong(), body);
            } finally {
                node.stop();
            }
        }
    }
}
