package io.spillway.cluster.fuzz;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.spillway.cluster.protocol.AcceptFlyweight;
import io.spillway.cluster.protocol.ConnectFlyweight;
import io.spillway.cluster.protocol.ControlCodec;
import io.spillway.cluster.protocol.HeaderFlyweight;
import io.spillway.cluster.protocol.LoadFlyweight;
import io.spillway.cluster.protocol.MessageType;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Makes the control fuzz seeds: one valid datagram of every message type, signed with
 * {@link ControlCodecFuzzTest#SECRET}. Run {@code main} with the target directory to regenerate
 * {@code src/test/resources/fuzz/control/} after a protocol change.
 */
public final class ControlSeeds {
    private ControlSeeds() {
    }

    static Map<String, byte[]> seeds() throws Exception {
        ControlCodec codec = new ControlCodec(ControlCodecFuzzTest.SECRET);
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (int type = 1; MessageType.isKnown(type); type++) {
            ByteBuf buf = Unpooled.buffer(ControlCodec.MAX_DATAGRAM_LENGTH);
            int base = codec.begin(buf, type, 0x0003_0000_0000_0042L + type, 1, 2, 1_764_000_000_000_000L);
            int body = HeaderFlyweight.bodyIndex(base);
            if (type == MessageType.CONNECT) {
                ConnectFlyweight.put(buf, body, 16_000, 100, 1);
            } else if (type == MessageType.ACCEPT) {
                byte[] token = new byte[16];
                for (int i = 0; i < token.length; i++) {
                    token[i] = (byte) i;
                }
                AcceptFlyweight.put(buf, body, 2, new InetSocketAddress(InetAddress.getByName("192.0.2.7"), 5060), token);
            } else if (type == MessageType.LOAD) {
                LoadFlyweight.put(buf, body, 12, 1, 1_000_000, 5_000, LoadFlyweight.FLAG_FULL);
            }
            codec.finish(buf, base);
            out.put(String.format("%02d-%s.bin", type, MessageType.name(type).toLowerCase(java.util.Locale.ROOT)),
                ByteBufUtil.getBytes(buf));
        }
        return out;
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Files.createDirectories(dir);
        for (Map.Entry<String, byte[]> e : seeds().entrySet()) {
            Files.write(dir.resolve(e.getKey()), e.getValue());
        }
    }
}
