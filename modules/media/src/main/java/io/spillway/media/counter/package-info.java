/**
 * Lock-free counters written by one event loop and read by any thread (Agrona-style single-writer
 * cells with opaque stores), the counter layout of a relay direction, and drop reasons.
 *
 * <p>Depends on the JDK only.
 */
package io.spillway.media.counter;
