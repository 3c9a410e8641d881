package io.spillway.testsupport.fuzz;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A seeded, coverage-blind mutation fuzzer. Each case takes a corpus entry and applies one to four
 * stacked mutations: bit flip, byte set to an interesting value, byte or token insert (the target's
 * dictionary plus generic separators and numbers), range delete, range duplicate, splice with another
 * entry, truncation, repetition of a chunk. The corpus entries themselves run first, unmutated.
 *
 * <p>{@link #run} executes the target on a worker thread within a case count and a time budget. Any
 * throwable that is not an instance of an expected type is a crash; a case that runs longer than the
 * hang timeout is a hang. Either writes the input to {@code target/fuzz-crashes/<name>/} and fails
 * with an {@link AssertionError} naming the file, the seed and the case number, so the crash becomes a
 * fixture and a regression test. Same seed, same corpus, same target: same cases.
 */
public final class MutationFuzzer {
    private static final byte[][] GENERIC_TOKENS = ascii(
        "\r\n", "\r\n\r\n", "\n", "\r", " ", "\t", ":", ";", ",", "=", "\"", "\\", "<", ">", "[", "]", "/", "@",
        "%", "%00", "%zz", "0", "-1", "65535", "65536", "2147483647", "2147483648", "4294967296",
        "9223372036854775807", "99999999999999999999", "1e9", "::", "::ffff:", "0.0.0.0", "255.255.255.255",
        "\u00ff", "\u0000");
    private static final byte[] INTERESTING_BYTES = {0, 1, 0x7f, (byte) 0x80, (byte) 0xff, '\r', '\n', ' ', '"',
        ':', ';', '=', 'e', 'i', 'l', 'd', '0', '9', '-'};

    private final String name;
    private final List<byte[]> corpus;
    private final List<Class<? extends Throwable>> expected;
    private final byte[][] tokens;
    private long seed = 0x5EEDL;
    private int maxCases = 100_000;
    private long budgetNs = TimeUnit.SECONDS.toNanos(8);
    private long hangNs = TimeUnit.SECONDS.toNanos(5);
    private int maxLength = 1 << 16;
    private Path crashDir = Path.of("target", "fuzz-crashes");

    private MutationFuzzer(String name, List<byte[]> corpus, List<Class<? extends Throwable>> expected,
                           byte[][] tokens) {
        if (corpus.isEmpty()) {
            throw new IllegalArgumentException("a fuzz target needs at least one seed");
        }
        this.name = name;
        this.corpus = List.copyOf(corpus);
        this.expected = List.copyOf(expected);
        this.tokens = tokens;
    }

    /**
     * A fuzzer for target {@code name} over {@code corpus}; {@code expected} are the exception types the
     * target declares (its precise errors); {@code dictionary} holds format tokens worth inserting.
     */
    @SafeVarargs
    public static MutationFuzzer of(String name, List<byte[]> corpus, List<String> dictionary,
                                    Class<? extends Throwable>... expected) {
        byte[][] dict = ascii(dictionary.toArray(String[]::new));
        byte[][] all = Arrays.copyOf(GENERIC_TOKENS, GENERIC_TOKENS.length + dict.length);
        System.arraycopy(dict, 0, all, GENERIC_TOKENS.length, dict.length);
        return new MutationFuzzer(name, corpus, List.of(expected), all);
    }

    /** The seed (a system property {@code fuzz.seed} overrides it, to replay another run). */
    public MutationFuzzer seed(long seed) {
        this.seed = Long.getLong("fuzz.seed", seed);
        return this;
    }

    /** The most cases to run (a system property {@code fuzz.cases} overrides it for long local runs). */
    public MutationFuzzer cases(int maxCases) {
        this.maxCases = Integer.getInteger("fuzz.cases", maxCases);
        return this;
    }

    /** The time budget; the run stops early, passing, when it is spent ({@code fuzz.budget.seconds} overrides). */
    public MutationFuzzer budget(long amount, TimeUnit unit) {
        Long override = Long.getLong("fuzz.budget.seconds");
        this.budgetNs = override != null ? TimeUnit.SECONDS.toNanos(override) : unit.toNanos(amount);
        return this;
    }

    /** One case running longer than this is a hang. */
    public MutationFuzzer hangTimeout(long amount, TimeUnit unit) {
        this.hangNs = unit.toNanos(amount);
        return this;
    }

    /** Inputs grow to at most this many bytes. */
    public MutationFuzzer maxLength(int maxLength) {
        this.maxLength = maxLength;
        return this;
    }

    /** What a run did. */
    public record Report(String name, long seed, int cases, int accepted, int rejected, long elapsedMs) {
        @Override
        public String toString() {
            return String.format("fuzz %s: seed=%d cases=%d accepted=%d rejected=%d in %d ms", name, seed, cases,
                accepted, rejected, elapsedMs);
        }
    }

    /**
     * Runs the target; returns the report, or throws {@link AssertionError} on a crash or hang.
     */
    public Report run(FuzzTarget target) throws InterruptedException {
        AtomicLong caseNo = new AtomicLong(-1);
        AtomicLong caseStartNs = new AtomicLong(System.nanoTime());
        AtomicReference<byte[]> current = new AtomicReference<>();
        AtomicReference<Throwable> crash = new AtomicReference<>();
        int[] counts = new int[2];
        long startNs = System.nanoTime();
        Thread worker = new Thread(() -> {
            SplittableRandom rnd = new SplittableRandom(seed);
            for (int n = 0; n < maxCases; n++) {
                if (System.nanoTime() - startNs - budgetNs > 0) {
                    break;
                }
                byte[] input = n < corpus.size() ? corpus.get(n).clone() : mutate(rnd);
                current.set(input);
                caseStartNs.set(System.nanoTime());
                caseNo.set(n);
                try {
                    target.run(input.clone());
                    counts[0]++;
                } catch (Throwable t) {
                    if (isExpected(t)) {
                        counts[1]++;
                    } else {
                        crash.set(t);
                        return;
                    }
                }
            }
            caseNo.set(-2);
        }, "fuzz-" + name);
        worker.setDaemon(true);
        worker.start();
        while (worker.isAlive()) {
            worker.join(50);
            long n = caseNo.get();
            if (worker.isAlive() && n >= 0 && System.nanoTime() - caseStartNs.get() - hangNs > 0
                && caseNo.get() == n) {
                Path file = save(current.get(), "hang");
                worker.interrupt();
                throw new AssertionError("fuzz " + name + ": case " + n + " (seed " + seed + ") ran longer than "
                    + TimeUnit.NANOSECONDS.toMillis(hangNs) + " ms; input saved to " + file + stack(worker));
            }
        }
        Throwable t = crash.get();
        if (t != null) {
            Path file = save(current.get(), "crash");
            AssertionError e = new AssertionError("fuzz " + name + ": case " + caseNo.get() + " (seed " + seed
                + ") threw " + t + "; input saved to " + file + "; input (hex, first 256 bytes): "
                + HexFormat.of().formatHex(current.get(), 0, Math.min(256, current.get().length)), t);
            throw e;
        }
        int cases = counts[0] + counts[1];
        Report r = new Report(name, seed, cases, counts[0], counts[1],
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs));
        System.out.println(r);
        return r;
    }

    private static String stack(Thread t) {
        StringBuilder sb = new StringBuilder("; worker stack:");
        for (StackTraceElement e : t.getStackTrace()) {
            sb.append("\n\tat ").append(e);
        }
        return sb.toString();
    }

    private boolean isExpected(Throwable t) {
        for (Class<? extends Throwable> c : expected) {
            if (c.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private Path save(byte[] input, String kind) {
        try {
            Path dir = crashDir.resolve(name);
            Files.createDirectories(dir);
            Path f = dir.resolve(kind + "-" + Integer.toHexString(Arrays.hashCode(input)) + ".bin");
            Files.write(f, input);
            return f.toAbsolutePath();
        } catch (IOException e) {
            return Path.of("(not saved: " + e + ")");
        }
    }

    /** One mutated input (public so a target can mutate sub-parts, e.g. a field of a structured input). */
    public byte[] mutate(SplittableRandom rnd) {
        byte[] b = corpus.get(rnd.nextInt(corpus.size())).clone();
        int rounds = 1 + rnd.nextInt(4);
        for (int i = 0; i < rounds; i++) {
            b = mutateOnce(b, rnd);
        }
        return b.length > maxLength ? Arrays.copyOf(b, maxLength) : b;
    }

    private byte[] mutateOnce(byte[] b, SplittableRandom rnd) {
        int len = b.length;
        switch (rnd.nextInt(10)) {
            case 0: // bit flip
                if (len > 0) {
                    int i = rnd.nextInt(len);
                    b[i] ^= (byte) (1 << rnd.nextInt(8));
                }
                return b;
            case 1: // interesting byte
                if (len > 0) {
                    b[rnd.nextInt(len)] = INTERESTING_BYTES[rnd.nextInt(INTERESTING_BYTES.length)];
                }
                return b;
            case 2: // random byte inserted
                return insert(b, rnd.nextInt(len + 1), new byte[] {(byte) rnd.nextInt(256)});
            case 3: // token inserted
                return insert(b, rnd.nextInt(len + 1), tokens[rnd.nextInt(tokens.length)]);
            case 4: { // token overwrites a range (e.g. a number replaced by another)
                byte[] t = tokens[rnd.nextInt(tokens.length)];
                int at = rnd.nextInt(len + 1);
                int del = Math.min(len - at, rnd.nextInt(8));
                return insert(delete(b, at, del), at, t);
            }
            case 5: { // range deleted
                if (len == 0) {
                    return b;
                }
                int at = rnd.nextInt(len);
                return delete(b, at, 1 + rnd.nextInt(Math.min(len - at, 32)));
            }
            case 6: { // range duplicated
                if (len == 0) {
                    return b;
                }
                int at = rnd.nextInt(len);
                int n = 1 + rnd.nextInt(Math.min(len - at, 64));
                return insert(b, at, Arrays.copyOfRange(b, at, at + n));
            }
            case 7: { // splice: a prefix of this entry, a suffix of another
                byte[] o = corpus.get(rnd.nextInt(corpus.size()));
                int cut = rnd.nextInt(len + 1);
                int from = rnd.nextInt(o.length + 1);
                byte[] out = Arrays.copyOf(b, cut + o.length - from);
                System.arraycopy(o, from, out, cut, o.length - from);
                return out;
            }
            case 8: // truncation
                return Arrays.copyOf(b, rnd.nextInt(len + 1));
            default: { // a chunk repeated many times (size limits, nesting depth)
                if (len == 0) {
                    return b;
                }
                int at = rnd.nextInt(len);
                int n = 1 + rnd.nextInt(Math.min(len - at, 8));
                int times = 2 + rnd.nextInt(200);
                byte[] chunk = Arrays.copyOfRange(b, at, at + n);
                byte[] rep = new byte[Math.min(n * times, maxLength)];
                for (int i = 0; i < rep.length; i++) {
                    rep[i] = chunk[i % n];
                }
                return insert(b, at, rep);
            }
        }
    }

    private static byte[] insert(byte[] b, int at, byte[] what) {
        byte[] out = new byte[b.length + what.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(what, 0, out, at, what.length);
        System.arraycopy(b, at, out, at + what.length, b.length - at);
        return out;
    }

    private static byte[] delete(byte[] b, int at, int n) {
        byte[] out = new byte[b.length - n];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(b, at + n, out, at, b.length - at - n);
        return out;
    }

    private static byte[][] ascii(String... s) {
        byte[][] out = new byte[s.length][];
        for (int i = 0; i < s.length; i++) {
            out[i] = s[i].getBytes(StandardCharsets.ISO_8859_1);
        }
        return out;
    }

    /** Splits {@code input} into at most {@code max} pieces at random points (for stream framers). */
    public static List<byte[]> chunks(byte[] input, SplittableRandom rnd, int max) {
        List<byte[]> out = new ArrayList<>();
        int p = 0;
        while (p < input.length) {
            int n = out.size() + 1 >= max ? input.length - p : 1 + rnd.nextInt(input.length - p);
            out.add(Arrays.copyOfRange(input, p, p + n));
            p += n;
        }
        return out;
    }
}
