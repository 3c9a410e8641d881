/**
 * The cluster: the chained-forwarding control protocol, workload thresholds, reservations and the
 * peer table.
 *
 * <p>Depends on Netty; not on the SIP or media modules (workload arrives through an interface).
 */
package io.spillway.cluster;
