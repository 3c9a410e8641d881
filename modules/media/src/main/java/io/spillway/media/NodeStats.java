package io.spillway.media;

/**
 * Node-wide cumulative counters of the relay, summed over all event loops.
 *
 * @param traffic all directions of all sessions that ever ran (rates over the last window)
 * @param workload the current workload
 * @param sessionsCreated sessions that got their ports
 * @param sessionsTimedOut sessions ended by inactivity or max duration
 * @param portExhaustions session creations (or stream additions) refused for lack of ports
 * @param portBindFailures ports of the range that could not be bound (held elsewhere)
 * @param socketErrors errors raised by relay sockets (failed sends and the like)
 */
public record NodeStats(DirectionStats traffic, WorkloadSnapshot workload, long sessionsCreated,
                        long sessionsTimedOut, long portExhaustions, long portBindFailures,
                        long socketErrors) {
}
