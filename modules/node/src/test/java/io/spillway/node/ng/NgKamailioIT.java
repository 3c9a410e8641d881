package io.spillway.node.ng;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spillway.media.MediaConfig;
import io.spillway.media.RelayEngine;
import io.spillway.node.testsupport.Sipp;
import java.io.File;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Interop with Kamailio's rtpengine module: SIPp UAC -> Kamailio (rtpengine_manage, ng over UDP)
 * -> SIPp UAS with RTP echo, Spillway's ng port and relay in-process. Asserts that Kamailio drove
 * offer/answer/delete and that RTP crossed the relay in both directions.
 */
@Tag("slow")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class NgKamailioIT {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final Duration SIPP_TIMEOUT = Duration.ofSeconds(60);

    @Test
    void kamailioDrivesACallWithMediaThroughSpillway() throws Exception {
        Path work = Files.createTempDirectory("spillway-kamailio-");
        List<Process> processes = new ArrayList<>();
        Sipp uas = null;
        Sipp uac = null;
        RelayEngine engine = new RelayEngine(MediaConfig.builder().portRange(47_000, 47_999).eventLoops(1)
            .bindIpv4(LOOPBACK).build());
        engine.start();
        NgServer server = new NgServer(NgServerConfig.of(new InetSocketAddress(LOOPBACK, 0)),
            new MediaEngineNgBackend(engine), () -> false);
        try {
            server.start();
            int kamailioPort = freeUdpPort();
            int uasPort = freeUdpPort();
            int uasMediaPort = freeUdpPort();
            int uacPort = freeUdpPort();
            int uacMediaPort = freeUdpPort();
            Path cfg = projectFile("tools/kamailio/kamailio-rtpengine.cfg");
            processes.add(start(work, "kamailio", List.of("kamailio", "-DD", "-E", "-m", "64", "-M", "8",
                "-Y", work.toString(), "-l", "udp:127.0.0.1:" + kamailioPort,
                "-A", "NG_SOCK=\"udp:127.0.0.1:" + server.localAddress().getPort() + "\"",
                "-A", "UAS_URI=\"sip:127.0.0.1:" + uasPort + "\"", "-f", cfg.toString())));
            awaitSipOptions(kamailioPort, processes.get(0), work.resolve("kamailio.log"));

            uas = Sipp.uas("/kamailio/uas-echo.xml", "127.0.0.1", uasPort, 1).timeout(SIPP_TIMEOUT)
                .with("-mp", String.valueOf(uasMediaPort), "-rtp_echo").start();
            uac = Sipp.uac("/kamailio/uac-pcap.xml", "127.0.0.1", uacPort, new InetSocketAddress(LOOPBACK, kamailioPort),
                    1).timeout(SIPP_TIMEOUT)
                .with("-s", "echo", "-mp", String.valueOf(uacMediaPort)).start();

            long[] seen = watchMediaBothWays(server, uac);
            assertEquals(0, uac.awaitExit(SIPP_TIMEOUT), "UAC call succeeded\n" + uac.report()
                + tail(work.resolve("kamailio.log")));
            System.out.printf("RTP through the relay: caller->callee %d packets, callee->caller %d packets%n", seen[0],
                seen[1]);
            assertTrue(seen[0] > 0, "caller -> callee RTP crossed the relay: " + seen[0]);
            assertTrue(seen[1] > 0, "callee -> caller (echo) RTP crossed the relay: " + seen[1]);
            NgStats stats = server.stats();
            assertTrue(stats.commands("offer", "ok") >= 1, stats.toString());
            assertTrue(stats.commands("answer", "ok") >= 1, stats.toString());
            long deadlineNs = System.nanoTime() + 10_000_000_000L;
            while (stats.commands("delete", "ok") == 0 && deadlineNs - System.nanoTime() > 0) {
                Thread.sleep(50);
            }
            assertTrue(stats.commands("delete", "ok") >= 1, "BYE deleted the call: " + stats);
            assertEquals(0, server.calls());
        } finally {
            if (uac != null) {
                uac.close();
            }
            if (uas != null) {
                uas.close();
            }
            for (Process p : processes) {
                p.descendants().forEach(ProcessHandle::destroy);
                p.destroy();
            }
            for (Process p : processes) {
                if (!p.waitFor(5, TimeUnit.SECONDS)) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                }
            }
            server.close();
            engine.close();
        }
    }

    /**
     * Polls {@code list} and {@code query} while the call runs; returns the most packets the relay
     * received from the caller and from the callee (the echo).
     */
    private static long[] watchMediaBothWays(NgServer server, Sipp uac) throws Exception {
        long[] seen = new long[2];
        try (NgTestClient ng = new NgTestClient(server.localAddress())) {
            long deadlineNs = System.nanoTime() + 40_000_000_000L;
            while (deadlineNs - System.nanoTime() > 0 && uac.isAlive()) {
                BencodeValue.ListValue calls = (BencodeValue.ListValue) ng.request(
                    new NgDictBuilder().put("command", "list").build()).get("calls");
                for (BencodeValue id : calls.items()) {
                    BencodeValue.Dict q = ng.request(new NgDictBuilder().put("command", "query")
                        .put("call-id", ((BencodeValue.Bytes) id).text()).build());
                    BencodeValue.Dict tags = (BencodeValue.Dict) q.get("tags");
                    if (tags == null) {
                        continue;
                    }
                    for (var tag : tags.entries().entrySet()) {
                        // The scenarios tag the caller "...SIPpTag00<n>" and the callee "...SIPpTag01<n>".
                        int side = tag.getKey().contains("SIPpTag00") ? 0 : 1;
                        seen[side] = Math.max(seen[side], packetsOf((BencodeValue.Dict) tag.getValue()));
                    }
                }
                Thread.sleep(100);
            }
        }
        return seen;
    }

    private static long packetsOf(BencodeValue.Dict tag) {
        long sum = 0;
        for (BencodeValue media : ((BencodeValue.ListValue) tag.get("medias")).items()) {
            for (BencodeValue stream : ((BencodeValue.ListValue) ((BencodeValue.Dict) media).get("streams")).items()) {
                BencodeValue.Dict stats = (BencodeValue.Dict) ((BencodeValue.Dict) stream).get("stats");
                sum += ((BencodeValue.Int) stats.get("packets")).value();
            }
        }
        return sum;
    }

    private static Process start(Path work, String name, List<String> command) throws IOException {
        File log = work.resolve(name + ".log").toFile();
        return new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true)
            .redirectOutput(log).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
    }

    private static void awaitSipOptions(int port, Process kamailio, Path log) throws Exception {
        String options = "OPTIONS sip:127.0.0.1:" + port + " SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP 127.0.0.1:%d;branch=z9hG4bK-spillway-%d\r\n"
            + "From: <sip:probe@127.0.0.1>;tag=probe\r\nTo: <sip:127.0.0.1:" + port + ">\r\n"
            + "Call-ID: probe-%d@spillway\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n";
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            s.setSoTimeout(200);
            long deadlineNs = System.nanoTime() + 30_000_000_000L;
            for (int i = 0; deadlineNs - System.nanoTime() > 0; i++) {
                if (!kamailio.isAlive()) {
                    throw new AssertionError("kamailio exited " + kamailio.exitValue() + "\n" + tail(log));
                }
                byte[] req = String.format(options, s.getLocalPort(), i, i).getBytes(StandardCharsets.US_ASCII);
                s.send(new DatagramPacket(req, req.length, new InetSocketAddress(LOOPBACK, port)));
                byte[] in = new byte[4096];
                DatagramPacket reply = new DatagramPacket(in, in.length);
                try {
                    s.receive(reply);
                } catch (SocketTimeoutException e) {
                    continue;
                }
                if (new String(in, 0, reply.getLength(), StandardCharsets.US_ASCII).startsWith("SIP/2.0 200")) {
                    return;
                }
            }
        }
        throw new AssertionError("kamailio did not answer OPTIONS\n" + tail(log));
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size())) + "\n";
        } catch (IOException e) {
            return "(no " + log + ")\n";
        }
    }

    private static int freeUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            return s.getLocalPort();
        }
    }

    /** A file of the source tree, found from the module directory Maven runs tests in. */
    private static Path projectFile(String relative) {
        Path dir = Paths.get("").toAbsolutePath();
        for (int i = 0; i < 4 && dir != null; i++, dir = dir.getParent()) {
            Path candidate = dir.resolve(relative);
            if (Files.exists(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException(relative + " not found above " + Paths.get("").toAbsolutePath());
    }
}
