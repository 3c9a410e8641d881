/**
 * The cluster: workload thresholds and lock-free admission ({@code AdmissionGate},
 * {@code ThresholdConfig}), reservations ({@code ReservationTable}), the chained-forwarding
 * control protocol's state machines ({@code ControlEndpoint}) and the public face the node uses,
 * {@link io.spillway.cluster.ClusterNode}: start/stop, {@code requestPlacement},
 * {@code consumeReservation}, {@code releaseReservation}, draining, the peer table and counters.
 * {@code VirtualNode} runs the same state machines without sockets for simulation.
 *
 * <p>Depends on Netty, JCTools and HdrHistogram; not on the SIP, media or node modules (workload
 * arrives through {@link io.spillway.cluster.WorkloadSource}). The wire format lives in
 * {@code io.spillway.cluster.protocol}. See {@code docs/control-protocol.md}.
 */
package io.spillway.cluster;
