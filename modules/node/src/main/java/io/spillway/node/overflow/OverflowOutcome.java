package io.spillway.node.overflow;

import java.util.Locale;

/** How an initial INVITE was decided; one counter each ({@code spillway_overflow_decisions_total}). */
public enum OverflowOutcome {
    /** Taken here: this node had room. */
    LOCAL,
    /** Taken here: the INVITE carried a live reservation token of this node (a redirected call). */
    TOKEN,
    /** Another node of the sequence took it; the client got a 302. */
    REDIRECTED,
    /** Another node of the sequence took it; the INVITE was forwarded there (proxy mode). */
    FORWARDED,
    /** Every node of the sequence was over threshold: 503. */
    ALL_BUSY,
    /** The chain did not answer within its deadline: 503. */
    TIMED_OUT,
    /** The cluster could not decide (not running): 503. */
    FAILED;

    /** @return the label value, e.g. {@code all_busy} */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
