/**
 * Wire format of the cluster control protocol: message types, flyweights over the datagram bytes
 * (with {@code *_OFFSET} constants and ASCII layouts), the HMAC signing/verifying codec and the
 * replay table.
 *
 * <p>Everything here is I/O free: it works on Netty {@code ByteBuf}s and never touches a channel.
 * May depend on {@code netty-buffer} and the JDK only. All multi-byte fields are big-endian
 * (network order).
 */
package io.spillway.cluster.protocol;
