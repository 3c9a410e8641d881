package io.spillway.media;

/** Address family a leg's relay ports are bound in. */
public enum IpFamily {
    IPV4,
    IPV6
}
