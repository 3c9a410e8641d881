/** The registrar: REGISTER handling, bindings with expiry, and the location store behind them. */
package io.spillway.node.registrar;
