/**
 * The node's configuration: a TOML file over embedded defaults ({@code defaults.toml}), overridden by
 * {@code --set key=value}, bound to validated immutable records rooted at {@link
 * io.spillway.node.config.NodeConfig}.
 *
 * <p>To add a key: add a component to the section record, its default to {@code defaults.toml}, and
 * its check to the record's compact constructor (via {@link io.spillway.node.config.Validate}); the
 * binder, {@code --set}, the redacted view and the error messages follow from the record. Document it
 * in {@code docs/configuration.md}.
 *
 * <p>Depends on Jackson (TOML parsing) and the JDK only; nothing here does I/O except reading the
 * config and secret files.
 */
package io.spillway.node.config;
