/** JMH benchmarks of the node's SIP layers (transaction matching and state per message). */
package io.spillway.bench.node;
