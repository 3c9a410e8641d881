package io.spillway.node.registrar;

import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Where bindings live: per address of record, updated atomically (RFC 3261 10.3 step 8: all the
 * changes of one REGISTER are committed together or not at all). The in-memory default is {@link
 * InMemoryLocationStore}; a shared store for a cluster would implement the same.
 */
public interface LocationStore extends LocationService {

    /** The live bindings of {@code aor} (see {@link Binding#aorKey}), best first. */
    List<Binding> bindings(String aor);

    /**
     * Replaces the bindings of {@code aor} with what {@code update} returns for the live ones,
     * atomically with respect to other updates of the same AOR. An exception thrown by {@code
     * update} leaves the store unchanged and propagates.
     *
     * @return the bindings after the update, best first
     */
    List<Binding> update(String aor, UnaryOperator<List<Binding>> update);

    /** Drops expired bindings; returns how many. */
    int purgeExpired();

    /** Live and not yet purged bindings over all AORs. */
    int size();
}
