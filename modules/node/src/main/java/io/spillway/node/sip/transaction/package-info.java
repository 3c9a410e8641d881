/**
 * RFC 3261 section 17 transactions: {@link io.spillway.node.sip.transaction.ServerTransaction} and
 * {@link io.spillway.node.sip.transaction.ClientTransaction} for INVITE and non-INVITE, timers A-K
 * (retransmissions only over UDP), RFC 6026's Accepted state for 2xx to INVITE, and the
 * {@link io.spillway.node.sip.transaction.TransactionLayer} that matches messages to them (branch
 * with the z9hG4bK cookie, RFC 2543 fallback otherwise). Single-threaded: everything runs on the
 * signalling loop; timers go through {@link io.spillway.node.sip.transaction.TimerService} so tests
 * can drive time. Depends on {@code io.spillway.sip} and the node's SIP transport types.
 */
package io.spillway.node.sip.transaction;
