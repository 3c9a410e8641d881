package io.spillway.media;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.function.LongSupplier;

/**
 * Validated, immutable settings of the relay engine. Build with {@link #builder()}; every error
 * names its key ({@code media.*}).
 *
 * @param portMin lowest relay port (default 30000)
 * @param portMax highest relay port (default 39999)
 * @param bindIpv4 IPv4 address to bind relay ports on, or null for no IPv4
 * @param bindIpv6 IPv6 address to bind relay ports on, or null for no IPv6
 * @param advertisedIpv4 IPv4 address written into SDP, or null to advertise bindIpv4
 * @param advertisedIpv6 IPv6 address written into SDP, or null to advertise bindIpv6
 * @param eventLoops number of relay event loops (default: available processors)
 * @param quarantineMs how long a released port pair is held back (default 5000)
 * @param maxPacketBytes largest datagram relayed; bigger ones are dropped (default 1500)
 * @param receiveBatchDatagrams datagrams read per recvmmsg call on epoll (default 16)
 * @param inactivityTimeoutMs end a session after this long without packets (default 60000)
 * @param maxDurationMs end a session after this long whatever happens; 0 = no limit
 * @param latching default latching mode of new sessions
 * @param housekeepingIntervalMs period of the timeout check and rate window (default 1000)
 * @param preferEpoll use native epoll when available (default true)
 * @param socketBufferBytes SO_RCVBUF/SO_SNDBUF of each relay socket; 0 = OS default (the kernel
 *     caps it at net.core.rmem_max / wmem_max)
 * @param maxPacketsPerSec per leg and direction, packets per second above which the relay drops
 *     ({@code rate_limited}); several times the expected rate; 0 = no cap (default 0)
 * @param nowNs the clock for timeouts, latching and jitter; {@code System::nanoTime} in production
 */
public record MediaConfig(int portMin, int portMax, InetAddress bindIpv4, InetAddress bindIpv6,
                          InetAddress advertisedIpv4, InetAddress advertisedIpv6, int eventLoops,
                          long quarantineMs, int maxPacketBytes, int receiveBatchDatagrams,
                          long inactivityTimeoutMs, long maxDurationMs, LatchingMode latching,
                          long housekeepingIntervalMs, boolean preferEpoll, int socketBufferBytes,
                          int maxPacketsPerSec, LongSupplier nowNs) {
    /** RTP over UDP needs at least a header; below this nothing useful fits. */
    public static final int MIN_PACKET_BYTES = 64;
    /** Largest UDP payload over IPv4. */
    public static final int MAX_PACKET_BYTES = 65_507;

    public MediaConfig {
        require(portMin >= 1024 && portMin <= 65534, "media.portMin", "must be in 1024..65534", portMin);
        require(portMax >= portMin && portMax <= 65535, "media.portMax",
            "must be in media.portMin.." + 65535, portMax);
        require(((portMin + 1) & ~1) + 1 <= portMax, "media.portMax",
            "range " + portMin + "-" + portMax + " holds no even/odd port pair", portMax);
        if (bindIpv4 == null && bindIpv6 == null) {
            throw new IllegalArgumentException("media.bindIpv4/media.bindIpv6: at least one is required");
        }
        requireFamily(bindIpv4, Inet4Address.class, "media.bindIpv4");
        requireFamily(bindIpv6, Inet6Address.class, "media.bindIpv6");
        requireFamily(advertisedIpv4, Inet4Address.class, "media.advertisedIpv4");
        requireFamily(advertisedIpv6, Inet6Address.class, "media.advertisedIpv6");
        require(eventLoops >= 1 && eventLoops <= 1024, "media.eventLoops", "must be in 1..1024", eventLoops);
        require(quarantineMs >= 0, "media.quarantineMs", "must be >= 0", quarantineMs);
        require(maxPacketBytes >= MIN_PACKET_BYTES && maxPacketBytes <= MAX_PACKET_BYTES,
            "media.maxPacketBytes", "must be in " + MIN_PACKET_BYTES + ".." + MAX_PACKET_BYTES,
            maxPacketBytes);
        require(receiveBatchDatagrams >= 1 && receiveBatchDatagrams <= 1024,
            "media.receiveBatchDatagrams", "must be in 1..1024", receiveBatchDatagrams);
        require(inactivityTimeoutMs >= 1, "media.inactivityTimeoutMs", "must be >= 1", inactivityTimeoutMs);
        require(maxDurationMs >= 0, "media.maxDurationMs", "must be >= 0 (0 = no limit)", maxDurationMs);
        require(housekeepingIntervalMs >= 10, "media.housekeepingIntervalMs", "must be >= 10",
            housekeepingIntervalMs);
        require(socketBufferBytes >= 0, "media.socketBufferBytes", "must be >= 0 (0 = OS default)",
            socketBufferBytes);
        require(maxPacketsPerSec >= 0, "media.maxPacketsPerSec", "must be >= 0 (0 = no cap)", maxPacketsPerSec);
        if (latching == null) {
            latching = LatchingMode.DEFAULT;
        }
        if (nowNs == null) {
            throw new IllegalArgumentException("media.nowNs: a clock is required");
        }
    }

    /** A builder with the production defaults; binds 127.0.0.1 only until told otherwise. */
    public static Builder builder() {
        return new Builder();
    }

    /** The address SDP should carry for a leg bound in {@code family}. */
    public InetAddress advertised(IpFamily family) {
        if (family == IpFamily.IPV4) {
            return advertisedIpv4 != null ? advertisedIpv4 : bindIpv4;
        }
        return advertisedIpv6 != null ? advertisedIpv6 : bindIpv6;
    }

    /** The bind address of {@code family}, or null when that family is not configured. */
    public InetAddress bind(IpFamily family) {
        return family == IpFamily.IPV4 ? bindIpv4 : bindIpv6;
    }

    private static void require(boolean ok, String key, String rule, long value) {
        if (!ok) {
            throw new IllegalArgumentException(key + ": " + rule + ", was " + value);
        }
    }

    private static void requireFamily(InetAddress address, Class<?> family, String key) {
        if (address != null && !family.isInstance(address)) {
            throw new IllegalArgumentException(key + ": must be an " + family.getSimpleName()
                + ", was " + address.getHostAddress());
        }
    }

    /** Mutable builder of {@link MediaConfig}; {@link #build()} validates. */
    public static final class Builder {
        private int portMin = 30000;
        private int portMax = 39999;
        private InetAddress bindIpv4 = InetAddress.getLoopbackAddress();
        private InetAddress bindIpv6;
        private InetAddress advertisedIpv4;
        private InetAddress advertisedIpv6;
        private int eventLoops = Runtime.getRuntime().availableProcessors();
        private long quarantineMs = 5000;
        private int maxPacketBytes = 1500;
        private int receiveBatchDatagrams = 16;
        private long inactivityTimeoutMs = 60_000;
        private long maxDurationMs;
        private LatchingMode latching = LatchingMode.DEFAULT;
        private long housekeepingIntervalMs = 1000;
        private boolean preferEpoll = true;
        private int socketBufferBytes;
        private LongSupplier nowNs = System::nanoTime;
        private int maxPacketsPerSec;

        private Builder() {
        }

        public Builder portRange(int min, int max) {
            this.portMin = min;
            this.portMax = max;
            return this;
        }

        public Builder bindIpv4(InetAddress address) {
            this.bindIpv4 = address;
            return this;
        }

        public Builder bindIpv6(InetAddress address) {
            this.bindIpv6 = address;
            return this;
        }

        public Builder advertisedIpv4(InetAddress address) {
            this.advertisedIpv4 = address;
            return this;
        }

        public Builder advertisedIpv6(InetAddress address) {
            this.advertisedIpv6 = address;
            return this;
        }

        public Builder eventLoops(int n) {
            this.eventLoops = n;
            return this;
        }

        public Builder quarantineMs(long ms) {
            this.quarantineMs = ms;
            return this;
        }

        public Builder maxPacketBytes(int bytes) {
            this.maxPacketBytes = bytes;
            return this;
        }

        public Builder receiveBatchDatagrams(int n) {
            this.receiveBatchDatagrams = n;
            return this;
        }

        public Builder inactivityTimeoutMs(long ms) {
            this.inactivityTimeoutMs = ms;
            return this;
        }

        public Builder maxDurationMs(long ms) {
            this.maxDurationMs = ms;
            return this;
        }

        public Builder latching(LatchingMode mode) {
            this.latching = mode;
            return this;
        }

        public Builder housekeepingIntervalMs(long ms) {
            this.housekeepingIntervalMs = ms;
            return this;
        }

        public Builder preferEpoll(boolean prefer) {
            this.preferEpoll = prefer;
            return this;
        }

        public Builder socketBufferBytes(int bytes) {
            this.socketBufferBytes = bytes;
            return this;
        }

        public Builder maxPacketsPerSec(int packetsPerSec) {
            this.maxPacketsPerSec = packetsPerSec;
            return this;
        }

        public Builder nowNs(LongSupplier clock) {
            this.nowNs = clock;
            return this;
        }

        public MediaConfig build() {
            return new MediaConfig(portMin, portMax, bindIpv4, bindIpv6, advertisedIpv4,
                advertisedIpv6, eventLoops, quarantineMs, maxPacketBytes, receiveBatchDatagrams,
                inactivityTimeoutMs, maxDurationMs, latching, housekeepingIntervalMs, preferEpoll,
                socketBufferBytes, maxPacketsPerSec, nowNs);
        }
    }
}
