/**
 * Allocation of even/odd UDP port pairs from the configured relay range, with a quarantine that
 * holds released pairs back so late packets of an ended call never reach a new one.
 *
 * <p>Depends on the JDK only; lock-free, safe from any thread (it is control-plane code).
 */
package io.spillway.media.port;
