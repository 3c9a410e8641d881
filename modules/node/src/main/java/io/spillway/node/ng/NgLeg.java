package io.spillway.node.ng;

/**
 * The two sides of a relayed stream. {@code A} faces the party that sent the call's first offer
 * (the caller, the ng {@code from-tag}); {@code B} faces the other party (the callee, the
 * {@code to-tag}). Each leg has its own local relay ports; packets received on one leg are sent out
 * of the other.
 */
public enum NgLeg {
    A, B;

    /** The other leg. */
    public NgLeg other() {
        return this == A ? B : A;
    }
}
