package io.spillway.cluster;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Lock-free admission against a node's thresholds: decides whether there is room for one more
 * call and, if so, takes it by compare-and-set on the node's reserved totals, so concurrent
 * admissions (local requests on any thread, CONNECTs on the control loop) can never push the node
 * past a threshold: each admission re-checks against the totals it is about to replace.
 *
 * <p>The reserved totals (calls, bandwidth, packet rate of live reservations) are one immutable
 * value swapped by CAS; that costs one small allocation per admitted call (never per packet) and
 * keeps the three totals consistent with each other.
 *
 * <p>Hand-off: a reservation stays in these totals until it is consumed, released or expires.
 * When it is consumed the call must already be counted in {@link WorkloadSource#activeCalls()}
 * (count first, then consume), so the call is never invisible to a concurrent admission.
 */
public final class AdmissionGate {
    private record Reserved(long calls, long bandwidthBytesPerSec, long packetsPerSec) {
        Reserved plus(final CallDemand d) {
            return new Reserved(calls + 1, bandwidthBytesPerSec + d.bandwidthBytesPerSec(),
                packetsPerSec + d.packetsPerSec());
        }

        Reserved minus(final CallDemand d) {
            return new Reserved(calls - 1, bandwidthBytesPerSec - d.bandwidthBytesPerSec(),
                packetsPerSec - d.packetsPerSec());
        }
    }

    private static final Reserved NONE = new Reserved(0, 0, 0);

    private volatile ThresholdConfig thresholds;
    private final WorkloadSource workload;
    private final AtomicReference<Reserved> reserved = new AtomicReference<>(NONE);
    private volatile boolean draining;
    private volatile boolean latchedFull;

    /**
     * @param thresholds the node's limits
     * @param workload the node's measured workload
     */
    public AdmissionGate(final ThresholdConfig thresholds, final WorkloadSource workload) {
        this.thresholds = thresholds;
        this.workload = workload;
    }

    /**
     * Takes room for one call of the given demand if every configured limit allows it.
     *
     * @return true if admitted (the caller now owns one reservation of {@code demand})
     */
    public boolean tryAdmit(final CallDemand demand) {
        if (draining) {
            return false;
        }
        while (true) {
            final Reserved current = reserved.get();
            if (isFull(current, demand)) {
                return false;
            }
            if (reserved.compareAndSet(current, current.plus(demand))) {
                return true;
            }
        }
    }

    /** Gives back one reservation of {@code demand} taken by {@link #tryAdmit}. */
    public void release(final CallDemand demand) {
        while (true) {
            final Reserved current = reserved.get();
            if (reserved.compareAndSet(current, current.minus(demand))) {
                return;
            }
        }
    }

    /**
     * @return true when the node is draining or has no room for one call of the configured
     *     per-call demand (with hysteresis); what LOAD heartbeats report as FULL
     */
    public boolean isFull() {
        return draining || isFull(reserved.get(), thresholds.perCallDemand());
    }


    /** A draining node takes no new calls and reports itself full. */
    public void setDraining(final boolean draining) {
        this.draining = draining;
    }

    /** @return true while draining */
    public boolean isDraining() {
        return draining;
    }

    /** @return live reservations (calls) */
    public long reservedCalls() {
        return reserved.get().calls();
    }

    /** @return bandwidth held by live reservations */
    public long reservedBandwidthBytesPerSec() {
        return reserved.get().bandwidthBytesPerSec();
    }

    /** @return packet rate held by live reservations */
    public long reservedPacketsPerSec() {
        return reserved.get().packetsPerSec();
    }

    /** @return the workload source (for heartbeats) */
    public WorkloadSource workload() {
        return workload;
    }

    /** @return the thresholds */
    public ThresholdConfig thresholds() {
        return thresholds;
    }

    /**
     * Replaces the thresholds (configuration reload). Admissions already made stay; the next
     * check uses the new limits, and a node latched full re-evaluates against them.
     */
    public void setThresholds(final ThresholdConfig newThresholds) {
        this.thresholds = java.util.Objects.requireNonNull(newThresholds, "thresholds");
    }

    private boolean isFull(final Reserved r, final CallDemand demand) {
        final ThresholdConfig limits = thresholds;
        final long calls = workload.activeCalls() + r.calls();
        final long bandwidth = workload.bandwidthBytesPerSec() + r.bandwidthBytesPerSec();
        final long pps = workload.packetsPerSec() + r.packetsPerSec();
        if (latchedFull) {
            if (!hasRoom(limits, calls, bandwidth, pps, demand, 1.0 - limits.hysteresis())) {
                return true;
            }
            latchedFull = false;
        }
        if (!hasRoom(limits, calls, bandwidth, pps, demand, 1.0)) {
            latchedFull = true;
            return true;
        }
        return false;
    }

    private static boolean hasRoom(
            final ThresholdConfig limits, final long calls, final long bandwidth, final long pps,
            final CallDemand demand, final double factor) {
        return fits(calls + 1, limits.maxCalls(), factor)
            && fits(bandwidth + demand.bandwidthBytesPerSec(), limits.maxBandwidthBytesPerSec(), factor)
            && fits(pps + demand.packetsPerSec(), limits.maxPacketsPerSec(), factor);
    }

    private static boolean fits(final long needed, final long limit, final double factor) {
        if (limit == ThresholdConfig.UNLIMITED) {
            return true;
        }
        final long effective = factor == 1.0 ? limit : (long) Math.floor(limit * factor);
        return needed <= effective;
    }
}
