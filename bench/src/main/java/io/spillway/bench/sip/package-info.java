/** JMH benchmarks of the SIP-lite parser, proxy edits and SDP rewrite ({@code io.spillway.sip}). */
package io.spillway.bench.sip;
