package io.spillway.node.ng;

import java.net.InetSocketAddress;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Replies recently sent, keyed by source address and cookie, so that a retransmitted request gets the
 * byte-identical reply without being executed again. Bounded (oldest evicted first) and expiring
 * after a fixed window. Owned by one thread (the ng channel's event loop): no locks.
 */
public final class NgReplyCacheTable {
    private final Map<Key, Entry> entries = new LinkedHashMap<>();
    private final long windowNs;
    private final int maxEntries;
    private final LongSupplier nowNs;

    /**
     * @param windowMs how long a reply stays answerable
     * @param maxEntries bound; the oldest entry is evicted when full
     * @param nowNs monotonic clock
     */
    public NgReplyCacheTable(long windowMs, int maxEntries, LongSupplier nowNs) {
        this.windowNs = windowMs * 1_000_000L;
        this.maxEntries = maxEntries;
        this.nowNs = nowNs;
    }

    /** The cached reply to {@code cookie} from {@code source}, or {@code null}. */
    public byte[] get(InetSocketAddress source, String cookie) {
        expire();
        Entry e = entries.get(new Key(source, cookie));
        return e == null ? null : e.reply;
    }

    /** Remembers {@code reply} (the full datagram bytes) for {@code cookie} from {@code source}. */
    public void put(InetSocketAddress source, String cookie, byte[] reply) {
        expire();
        if (entries.size() >= maxEntries) {
            Iterator<Entry> it = entries.values().iterator();
            it.next();
            it.remove();
        }
        // Insertion order equals expiry order because the window is constant.
        entries.put(new Key(source, cookie), new Entry(reply, nowNs.getAsLong() + windowNs));
    }

    /** Entries held. */
    public int size() {
        return entries.size();
    }

    private void expire() {
        long now = nowNs.getAsLong();
        Iterator<Entry> it = entries.values().iterator();
        while (it.hasNext()) {
            if (it.next().deadlineNs - now <= 0) {
                it.remove();
            } else {
                break;
            }
        }
    }

    private record Key(InetSocketAddress source, String cookie) {
        Key {
            Objects.requireNonNull(source);
            Objects.requireNonNull(cookie);
        }
    }

    private record Entry(byte[] reply, long deadlineNs) {
    }
}
