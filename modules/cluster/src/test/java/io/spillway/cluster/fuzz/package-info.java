/**
 * Fuzz targets for the cluster control protocol codec, run by
 * {@code io.spillway.testsupport.fuzz.MutationFuzzer} over {@code src/test/resources/fuzz/control/}.
 */
package io.spillway.cluster.fuzz;
