package io.spillway.node.ng;

import io.spillway.media.MediaConfig;
import io.spillway.media.RelayEngine;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * Benchmark harness (not a test): the media relay engine and the ng port in one JVM, for
 * {@code tools/loadgen} runs and the held-sessions heap figure in {@code bench/RESULTS.md}.
 *
 * <pre>
 * # serve on 127.0.0.1:2223 with one relay loop until killed:
 * java -cp "$(cat /tmp/ng-cp.txt):modules/node/target/classes:modules/node/target/test-classes" \
 *     io.spillway.node.ng.NgBenchServer serve 127.0.0.1:2223 30000 39999 1
 * # hold N calls (offer+answer over the ng port, one audio stream, rtcp-mux), report heap:
 * java ... io.spillway.node.ng.NgBenchServer hold N
 * </pre>
 */
public final class NgBenchServer {
    private NgBenchServer() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length >= 5 && args[0].equals("serve")) {
            serve(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]));
        } else if (args.length >= 2 && args[0].equals("hold")) {
            hold(Integer.parseInt(args[1]));
        } else {
            System.err.println("usage: serve host:port portMin portMax loops | hold N");
            System.exit(2);
        }
    }

    private static void serve(String listen, int portMin, int portMax, int loops) throws Exception {
        int colon = listen.lastIndexOf(':');
        InetSocketAddress at = new InetSocketAddress(InetAddress.getByName(listen.substring(0, colon)),
            Integer.parseInt(listen.substring(colon + 1)));
        RelayEngine engine = new RelayEngine(MediaConfig.builder().portRange(portMin, portMax).eventLoops(loops)
            .bindIpv4(InetAddress.getLoopbackAddress()).inactivityTimeoutMs(600_000).build());
        engine.start();
        NgServer server = new NgServer(NgServerConfig.of(at), new MediaEngineNgBackend(engine), () -> false);
        server.start();
        System.out.println("ng on " + server.localAddress() + ", relay epoll=" + engine.isEpoll() + ", loops=" + loops);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println(server.stats());
            System.out.println("relay " + engine.nodeStats());
            server.close();
            engine.close();
        }));
        Thread.currentThread().join();
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static void hold(int calls) throws Exception {
        RelayEngine engine = new RelayEngine(MediaConfig.builder().portRange(20_000, 60_000).eventLoops(1)
            .bindIpv4(InetAddress.getLoopbackAddress()).inactivityTimeoutMs(600_000).build());
        engine.start();
        NgServer server = new NgServer(NgServerConfig.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)),
            new MediaEngineNgBackend(engine), () -> false);
        server.start();
        long before = usedHeapAfterGc();
        long startNs = System.nanoTime();
        int held = 0;
        try (NgTestClient client = new NgTestClient(server.localAddress())) {
            for (int i = 0; i < calls; i++) {
                String sdpA = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                    + "m=audio " + (10_000 + 2 * (i % 5000)) + " RTP/AVP 0\r\na=rtcp-mux\r\n";
                BencodeValue.Dict o = client.request(new NgDictBuilder().put("command", "offer")
                    .put("call-id", "hold-" + i).put("from-tag", "a").put("sdp", sdpA).build());
                if (!"ok".equals(o.text("result"))) {
                    System.out.println("stopped at " + i + ": " + o);
                    break;
                }
                BencodeValue.Dict a = client.request(new NgDictBuilder().put("command", "answer")
                    .put("call-id", "hold-" + i).put("from-tag", "a").put("to-tag", "b").put("sdp", sdpA).build());
                if (!"ok".equals(a.text("result"))) {
                    System.out.println("answer failed at " + i + ": " + a);
                    break;
                }
                held++;
            }
        }
        double setupS = (System.nanoTime() - startNs) / 1e9;
        long after = usedHeapAfterGc();
        System.out.printf("held %d calls (%d relay sessions, %d port pairs in use), set-up %.1f s (%.0f calls/s)%n",
            held, engine.workload().activeSessions(), engine.workload().portPairsInUse(), setupS, held / setupS);
        System.out.printf("heap used after GC: before %.1f MiB, after %.1f MiB, delta %.1f MiB = %.0f bytes/call%n",
            before / 1048576.0, after / 1048576.0, (after - before) / 1048576.0, (double) (after - before) / held);
        server.close();
        engine.close();
    }
}
