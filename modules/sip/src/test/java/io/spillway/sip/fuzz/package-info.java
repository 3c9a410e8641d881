/**
 * Fuzz targets for the SIP module (value parsers, the TCP stream framer, SDP parse and rewrite), run by
 * {@code io.spillway.testsupport.fuzz.MutationFuzzer} over the seed corpora in
 * {@code src/test/resources/fuzz/<target>/}, with a fixed seed and a time budget, in every build.
 */
package io.spillway.sip.fuzz;
