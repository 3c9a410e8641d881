/**
 * Benchmarks and simulations of the cluster control protocol: codec cost (JMH), placement
 * latency along real loopback chains (JMH and an HdrHistogram run), and a discrete-event
 * simulation of large clusters built on {@code io.spillway.cluster.VirtualNode}.
 *
 * <p>Depends on {@code spillway-cluster}, Netty, HdrHistogram and JMH.
 */
package io.spillway.bench.cluster;
