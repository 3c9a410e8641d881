package io.spillway.testsupport.fuzz;

/** The code under fuzz: consumes one input; may throw only the exceptions the fuzzer is told to expect. */
@FunctionalInterface
public interface FuzzTarget {
    void run(byte[] input) throws Exception;
}
