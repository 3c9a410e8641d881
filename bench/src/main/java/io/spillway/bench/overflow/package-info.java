/**
 * Overflow end to end: INVITE-to-302 latency through whole in-process nodes (SIP proxy, overflow
 * policy, cluster control protocol) on loopback. Depends on the node module.
 */
package io.spillway.bench.overflow;
