/** JMH benchmarks of Spillway's hot paths; see {@code bench/RESULTS.md} for recorded figures. */
package io.spillway.bench;
