package io.spillway.media;

/** The two sides of a relayed stream: A is the caller's side, B the callee's. */
public enum Leg {
    A,
    B;

    public Leg other() {
        return this == A ? B : A;
    }
}
