package io.spillway.media;

/** The relay ports of one stream: {@code a} is offered to the caller, {@code b} to the callee. */
public record StreamPorts(int index, MediaType type, LegPorts a, LegPorts b) {
    public LegPorts leg(Leg leg) {
        return leg == Leg.A ? a : b;
    }
}
