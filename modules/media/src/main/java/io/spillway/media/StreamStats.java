package io.spillway.media;

/** Counters of one stream: {@code aToB} is what A sent towards B, {@code bToA} the reverse. */
public record StreamStats(int index, MediaType type, DirectionStats aToB, DirectionStats bToA) {
}
