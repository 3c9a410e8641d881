package io.spillway.node.registrar;

import io.spillway.sip.SipUri;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;

/**
 * Bindings in a {@link ConcurrentHashMap} keyed by AOR, each AOR's list immutable and replaced
 * whole by {@code compute}, so readers never see half an update and never take a lock. Expiry is
 * checked on read with the injected clock, and {@link #purgeExpired()} frees the memory.
 */
public final class InMemoryLocationStore implements LocationStore {
    /** Highest q first, then the most recently updated. */
    static final Comparator<Binding> BEST_FIRST = Comparator.comparingDouble(Binding::rankQ).reversed()
        .thenComparing(Comparator.comparingLong(Binding::updatedAtMs).reversed());

    private final ConcurrentHashMap<String, List<Binding>> byAor = new ConcurrentHashMap<>();
    private final AtomicInteger size = new AtomicInteger();
    private final LongSupplier nowMs;

    /** @param nowMs the registrar's clock (milliseconds, any epoch, wrap-safe comparisons) */
    public InMemoryLocationStore(LongSupplier nowMs) {
        this.nowMs = nowMs;
    }

    @Override
    public List<SipUri> lookup(String user, String domain) {
        List<Binding> live = bindings(Binding.aorKey(user, domain));
        List<SipUri> out = new ArrayList<>(live.size());
        for (Binding b : live) {
            out.add(b.contact());
        }
        return out;
    }

    @Override
    public List<Binding> bindings(String aor) {
        List<Binding> all = byAor.get(aor);
        return all == null ? List.of() : live(all, nowMs.getAsLong());
    }

    @Override
    public List<Binding> update(String aor, UnaryOperator<List<Binding>> update) {
        List<Binding> result = byAor.compute(aor, (k, old) -> {
            List<Binding> current = old == null ? List.of() : live(old, nowMs.getAsLong());
            List<Binding> next = new ArrayList<>(update.apply(current));
            next.sort(BEST_FIRST);
            size.addAndGet(next.size() - (old == null ? 0 : old.size()));
            return next.isEmpty() ? null : List.copyOf(next);
        });
        return result == null ? List.of() : result;
    }

    @Override
    public int purgeExpired() {
        int[] purged = new int[1];
        for (String aor : byAor.keySet()) {
            byAor.computeIfPresent(aor, (k, old) -> {
                List<Binding> live = live(old, nowMs.getAsLong());
                int dropped = old.size() - live.size();
                purged[0] += dropped;
                size.addAndGet(-dropped);
                return live.isEmpty() ? null : live;
            });
        }
        return purged[0];
    }

    @Override
    public int size() {
        return size.get();
    }

    private static List<Binding> live(List<Binding> all, long nowMs) {
        for (Binding b : all) {
            if (b.isExpired(nowMs)) {
                List<Binding> out = new ArrayList<>(all.size());
                for (Binding c : all) {
                    if (!c.isExpired(nowMs)) {
                        out.add(c);
                    }
                }
                return List.copyOf(out);
            }
        }
        return all;
    }
}
