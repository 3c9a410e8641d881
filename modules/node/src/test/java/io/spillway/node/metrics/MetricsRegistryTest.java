package io.spillway.node.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spillway.node.testsupport.Promtool;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MetricsRegistryTest {

    @Test
    void writesTextExposition() {
        MetricsRegistry r = new MetricsRegistry();
        Counter c = r.counter("spillway_test_requests_total", "Requests.", Labels.of("path", "/x"));
        c.add(3);
        c.increment();
        r.gauge("spillway_test_ratio", "A ratio.", () -> 0.25);
        r.gauge("spillway_test_label_escape", "Help with \\ and\nnewline.", Labels.of("v", "a\"b\\c\nd"), () -> 1);
        r.summary("spillway_test_latency_seconds", "Latency.", Labels.NONE,
            () -> new SummarySnapshot(new double[] {0.5, 0.99}, new double[] {0.001, 0.02}, 10, 0.05));
        StringBuilder sb = new StringBuilder();
        r.writeTo(sb);
        assertEquals("""
            # HELP spillway_test_label_escape Help with \\\\ and\\nnewline.
            # TYPE spillway_test_label_escape gauge
            spillway_test_label_escape{v="a\\"b\\\\c\\nd"} 1
            # HELP spillway_test_latency_seconds Latency.
            # TYPE spillway_test_latency_seconds summary
            spillway_test_latency_seconds{quantile="0.5"} 0.001
            spillway_test_latency_seconds{quantile="0.99"} 0.02
            spillway_test_latency_seconds_sum 0.05
            spillway_test_latency_seconds_count 10
            # HELP spillway_test_ratio A ratio.
            # TYPE spillway_test_ratio gauge
            spillway_test_ratio 0.25
            # HELP spillway_test_requests_total Requests.
            # TYPE spillway_test_requests_total counter
            spillway_test_requests_total{path="/x"} 4
            """, sb.toString());
    }

    @Test
    void refusesNamesPromtoolWouldFlag() {
        MetricsRegistry r = new MetricsRegistry();
        assertThrows(IllegalArgumentException.class, () -> r.counter("requests", "no _total"));
        assertThrows(IllegalArgumentException.class, () -> r.gauge("calls_total", "gauge with _total", () -> 1));
        assertThrows(IllegalArgumentException.class, () -> r.gauge("bad-name", "dash", () -> 1));
        r.gauge("dup", "first", () -> 1);
        assertThrows(IllegalArgumentException.class, () -> r.gauge("dup", "again", () -> 2));
        assertThrows(IllegalArgumentException.class, () -> r.gauge("dup", "other labels", Labels.of("a", "b"), () -> 2));
        assertThrows(IllegalArgumentException.class, () -> r.counter("x_total", "x").add(-1));
    }

    @Test
    void jvmMetricsPassPromtool() throws Exception {
        MetricsRegistry r = new MetricsRegistry();
        JvmMetrics.register(r);
        StringBuilder sb = new StringBuilder();
        r.writeTo(sb);
        String text = sb.toString();
        assertTrue(text.contains("\nprocess_open_fds "), text);
        assertTrue(text.contains("\nprocess_start_time_seconds "), text);
        assertTrue(text.contains("jvm_gc_collections_total{gc="), text);
        Promtool.Result result = Promtool.checkMetrics(text);
        assertEquals(0, result.exitCode(), result.output());
    }
}
