/**
 * The Spillway daemon: configuration, CLI, SIP transport and call control, admin HTTP, systemd.
 *
 * <p>The only module that depends on {@code sip}, {@code media} and {@code cluster} together.
 */
package io.spillway.node;
