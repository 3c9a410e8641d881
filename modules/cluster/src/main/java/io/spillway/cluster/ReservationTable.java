package io.spillway.cluster;

import io.spillway.cluster.protocol.ReservationToken;

import java.security.SecureRandom;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The live reservations of this node, by token. Thread-safe: leases are created on any thread
 * (local admission) or the control loop (CONNECT), consumed by the node's signalling threads,
 * swept by the control loop. Each lease leaves the table exactly once (consume, release or
 * expiry: whichever removes it first), and only that removal gives its room back to the
 * {@link AdmissionGate}.
 */
public final class ReservationTable {
    private record Lease(Reservation reservation, byte[] tokenBytes) {
    }

    private final int nodeId;
    private final AdmissionGate gate;
    private final long ttlNs;
    private final ClusterCounters counters;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Lease> leases = new ConcurrentHashMap<>();

    /**
     * @param nodeId this node
     * @param gate where reserved room is returned
     * @param ttlNs lease lifetime
     * @param counters where consumed and released leases are counted
     */
    public ReservationTable(final int nodeId, final AdmissionGate gate, final long ttlNs,
                            final ClusterCounters counters) {
        this.nodeId = nodeId;
        this.gate = gate;
        this.ttlNs = ttlNs;
        this.counters = counters;
    }

    /**
     * Admits and reserves one call, if there is room.
     *
     * @return the reservation, or null when the node is full
     */
    public Reservation tryReserve(final CallDemand demand, final long nowNs) {
        if (!gate.tryAdmit(demand)) {
            return null;
        }
        final byte[] tokenBytes = ReservationToken.generate(random);
        final Reservation reservation =
            new Reservation(ReservationToken.toText(tokenBytes), nodeId, demand, nowNs + ttlNs);
        leases.put(reservation.token(), new Lease(reservation, tokenBytes));
        return reservation;
    }

    /** @return the 16 wire bytes of a live token, or null */
    public byte[] tokenBytes(final String token) {
        final Lease lease = leases.get(token);
        return lease == null ? null : lease.tokenBytes();
    }

    /**
     * Consumes a live lease: it leaves the table and its room leaves the reserved totals, so the
     * call must already be counted as active by the workload source.
     *
     * @return true if the token named a live, unexpired lease (now consumed)
     */
    public boolean consume(final String token, final long nowNs) {
        if (token == null) {
            return false;
        }
        final Lease lease = leases.remove(token);
        if (lease == null) {
            return false;
        }
        gate.release(lease.reservation().demand());
        final boolean live = lease.reservation().expiresAtNs() - nowNs > 0;
        if (live) {
            counters.increment(ClusterCounter.RESERVATIONS_CONSUMED);
        }
        return live;
    }

    /** @return true if the token named a live lease (now freed) */
    public boolean release(final String token) {
        if (token == null) {
            return false;
        }
        final Lease lease = leases.remove(token);
        if (lease == null) {
            return false;
        }
        gate.release(lease.reservation().demand());
        counters.increment(ClusterCounter.RESERVATIONS_RELEASED);
        return true;
    }

    /** @return how many leases expired and were freed */
    public int expire(final long nowNs) {
        int expired = 0;
        for (final Iterator<Map.Entry<String, Lease>> it = leases.entrySet().iterator(); it.hasNext(); ) {
            final Map.Entry<String, Lease> entry = it.next();
            if (entry.getValue().reservation().expiresAtNs() - nowNs <= 0
                && leases.remove(entry.getKey(), entry.getValue())) {
                gate.release(entry.getValue().reservation().demand());
                expired++;
            }
        }
        return expired;
    }

    /** @return live leases */
    public int size() {
        return leases.size();
    }
}
