/**
 * A small, seeded, coverage-blind mutation fuzzer for the modules' fuzz tests: {@link
 * io.spillway.testsupport.fuzz.MutationFuzzer} mutates a seed corpus ({@link
 * io.spillway.testsupport.fuzz.FuzzCorpus}, files under {@code src/test/resources/fuzz/<target>/}) and
 * runs a target within a case count and time budget, failing on any exception the target does not
 * declare and on a case that hangs. Depends on the JDK only; used in test scope only.
 */
package io.spillway.testsupport.fuzz;
