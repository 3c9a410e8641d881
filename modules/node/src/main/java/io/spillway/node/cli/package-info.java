/**
 * The {@code spillway} command line (picocli): {@code run}, {@code check-config}, {@code status},
 * {@code calls}, {@code drain}, {@code version}; and the daemon's one-line log format.
 *
 * <p>Depends on every other {@code io.spillway.node} package; nothing depends on it.
 */
package io.spillway.node.cli;
