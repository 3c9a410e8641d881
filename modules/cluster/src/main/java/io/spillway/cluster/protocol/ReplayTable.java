package io.spillway.cluster.protocol;

import java.util.Arrays;

/**
 * Remembers, per (sender, message type, request id), the newest timestamp accepted within the
 * replay window, so a receiver can tell a retransmission from a replay.
 *
 * <p>The rule: senders stamp every transmission, retransmissions included, with a fresh timestamp
 * that is strictly newer than the previous transmission of the same message (re-signed each
 * time). So a datagram whose timestamp is not newer than the newest one already accepted for its
 * key is a copy of something seen before, a replay, and is dropped; a newer one is a
 * retransmission, which the protocol layer treats as a duplicate (re-ack, never a second
 * reservation). Datagrams whose timestamp is outside the window are stale before they get here,
 * so entries only need to outlive the window: the table keeps three generations, each covering
 * one window, and clears the oldest when a new one starts, giving every entry a life between two
 * and three windows (covering timestamps up to one window in the future).
 *
 * <p>Open addressing over primitive arrays. A generation that fills up doubles (rehash, the only
 * allocation, amortised) up to a hard cap; only past the cap are new keys refused ({@link #FULL}),
 * and since keys are only inserted after the MAC check, only a holder of the cluster secret can
 * push a table there. Not thread-safe: owned by one event loop.
 */
public final class ReplayTable {
    /** First time this key is seen. */
    public static final int FRESH = 0;
    /** Key seen before with an older timestamp: a retransmission. */
    public static final int RETRANSMISSION = 1;
    /** Key seen before with this or a newer timestamp: a replay. */
    public static final int REPLAY = 2;
    /** The current generation is full; the datagram cannot be tracked and must be dropped. */
    public static final int FULL = 3;

    private static final int GENERATIONS = 3;

    private final long windowMs;
    private final int maxCapacity;
    private final int[] masks = new int[GENERATIONS];
    private final long[][] requestIds = new long[GENERATIONS][];
    private final int[][] tags = new int[GENERATIONS][];
    private final long[][] timestamps = new long[GENERATIONS][];
    private final int[] sizes = new int[GENERATIONS];
    private int current;
    private long generationStartMs;

    /**
     * @param windowMs the replay window
     * @param capacityPerGeneration initial slots per generation, rounded up to a power of two; at
     *     most half are used before a generation grows
     * @param maxCapacityPerGeneration the most slots a generation may grow to
     * @param nowMs the current time
     */
    public ReplayTable(final long windowMs, final int capacityPerGeneration, final int maxCapacityPerGeneration,
                       final long nowMs) {
        if (windowMs <= 0) {
            throw new IllegalArgumentException("windowMs must be > 0");
        }
        final int capacity = powerOfTwoAtLeast(capacityPerGeneration);
        this.windowMs = windowMs;
        this.maxCapacity = Math.max(capacity, powerOfTwoAtLeast(maxCapacityPerGeneration));
        for (int g = 0; g < GENERATIONS; g++) {
            allocate(g, capacity);
        }
        this.generationStartMs = nowMs;
    }

    /** A table that never grows. */
    public ReplayTable(final long windowMs, final int capacityPerGeneration, final long nowMs) {
        this(windowMs, capacityPerGeneration, capacityPerGeneration, nowMs);
    }

    /** @return slots of the current generation */
    public int currentCapacity() {
        return masks[current] + 1;
    }

    private static int powerOfTwoAtLeast(final int value) {
        return Integer.highestOneBit(Math.max(16, value - 1) << 1);
    }

    private void allocate(final int g, final int capacity) {
        requestIds[g] = new long[capacity];
        tags[g] = new int[capacity];
        timestamps[g] = new long[capacity];
        masks[g] = capacity - 1;
    }

    /**
     * Builds the tag part of the key. Never zero (zero marks an empty slot).
     *
     * @param senderNodeId the sender (u16)
     * @param type the message type
     * @param subType the acknowledged type for an ACK, 0 otherwise
     */
    public static int tag(final int senderNodeId, final int type, final int subType) {
        return (senderNodeId << 16) | ((type & 0xFF) << 8) | (subType & 0xFF) | 0x8000_0000;
    }

    /**
     * Classifies a datagram and, unless it is a replay, records its timestamp.
     *
     * @return {@link #FRESH}, {@link #RETRANSMISSION}, {@link #REPLAY} or {@link #FULL}
     */
    public int check(final long requestId, final int tag, final long timestampUs, final long nowMs) {
        rotate(nowMs);
        long newest = Long.MIN_VALUE;
        boolean seen = false;
        for (int g = 0; g < GENERATIONS; g++) {
            final int slot = find(g, requestId, tag);
            if (slot >= 0) {
                seen = true;
                newest = Math.max(newest, timestamps[g][slot]);
            }
        }
        if (seen && timestampUs <= newest) {
            return REPLAY;
        }
        final int slot = find(current, requestId, tag);
        if (slot >= 0) {
            timestamps[current][slot] = timestampUs;
        } else if (!insert(requestId, tag, timestampUs)) {
            return FULL;
        }
        return seen ? RETRANSMISSION : FRESH;
    }

    /** @return entries held across all generations */
    public int size() {
        int total = 0;
        for (int g = 0; g < GENERATIONS; g++) {
            total += sizes[g];
        }
        return total;
    }

    private void rotate(final long nowMs) {
        if (nowMs - generationStartMs < windowMs) {
            return;
        }
        final long elapsedWindows = (nowMs - generationStartMs) / windowMs;
        final int steps = (int) Math.min(GENERATIONS, elapsedWindows);
        for (int i = 0; i < steps; i++) {
            current = (current + 1) % GENERATIONS;
            Arrays.fill(tags[current], 0);
            sizes[current] = 0;
        }
        generationStartMs += elapsedWindows * windowMs;
    }

    private int find(final int g, final long requestId, final int tag) {
        final long[] ids = requestIds[g];
        final int[] tg = tags[g];
        final int mask = masks[g];
        int slot = hash(requestId, tag) & mask;
        while (tg[slot] != 0) {
            if (tg[slot] == tag && ids[slot] == requestId) {
                return slot;
            }
            slot = (slot + 1) & mask;
        }
        return -1;
    }

    private boolean insert(final long requestId, final int tag, final long timestampUs) {
        if (sizes[current] >= (masks[current] + 1) / 2) {
            if (masks[current] + 1 >= maxCapacity) {
                return false;
            }
            grow(current);
        }
        put(current, requestId, tag, timestampUs);
        sizes[current]++;
        return true;
    }

    private void grow(final int g) {
        final long[] oldIds = requestIds[g];
        final int[] oldTags = tags[g];
        final long[] oldStamps = timestamps[g];
        allocate(g, oldTags.length * 2);
        for (int i = 0; i < oldTags.length; i++) {
            if (oldTags[i] != 0) {
                put(g, oldIds[i], oldTags[i], oldStamps[i]);
            }
        }
    }

    private void put(final int g, final long requestId, final int tag, final long timestampUs) {
        final int[] tg = tags[g];
        final int mask = masks[g];
        int slot = hash(requestId, tag) & mask;
        while (tg[slot] != 0) {
            slot = (slot + 1) & mask;
        }
        tg[slot] = tag;
        requestIds[g][slot] = requestId;
        timestamps[g][slot] = timestampUs;
    }

    private static int hash(final long requestId, final int tag) {
        long h = requestId * 0x9E37_79B9_7F4A_7C15L + tag;
        h ^= h >>> 29;
        h *= 0xBF58_476D_1CE4_E5B9L;
        return (int) (h ^ (h >>> 32));
    }
}
