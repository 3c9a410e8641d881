/**
 * Test helpers for node tests: free ports, an HTTP client for the admin API, {@code promtool}, and a
 * handle on a node running as a separate process through {@code tools/spillway}.
 */
package io.spillway.node.testsupport;
