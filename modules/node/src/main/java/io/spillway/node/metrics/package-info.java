/**
 * A tiny metrics registry and its Prometheus text exposition (format 0.0.4): components register
 * counters, gauges and summaries, mostly as callbacks over counters they already keep (single-writer,
 * summed by the reader), so a scrape never touches a hot path. Also the JVM and process basics.
 *
 * <p>Depends on the JDK only.
 */
package io.spillway.node.metrics;
