package io.spillway.testsupport.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MutationFuzzerTest {
    private static List<byte[]> seeds() {
        return FuzzCorpus.load(MutationFuzzerTest.class, "/fuzz/self");
    }

    @Test
    void sameSeedSameCases() throws Exception {
        List<Integer> a = new ArrayList<>();
        List<Integer> b = new ArrayList<>();
        MutationFuzzer.of("self", seeds(), List.of("tok")).seed(42).cases(500).run(in -> a.add(Arrays.hashCode(in)));
        MutationFuzzer.of("self", seeds(), List.of("tok")).seed(42).cases(500).run(in -> b.add(Arrays.hashCode(in)));
        assertEquals(500, a.size());
        assertEquals(a, b);
        assertTrue(a.stream().distinct().count() > 400, "mutations differ from case to case");
    }

    @Test
    void expectedExceptionsAreRejectionsOthersAreCrashesSavedToAFile() throws Exception {
        MutationFuzzer.Report r = MutationFuzzer.of("self", seeds(), List.of(), IllegalArgumentException.class)
            .seed(1).cases(1000).run(in -> {
                if (in.length % 2 == 0) {
                    throw new IllegalArgumentException("even");
                }
            });
        assertEquals(1000, r.cases());
        assertTrue(r.rejected() > 0 && r.accepted() > 0);
        AssertionError e = assertThrows(AssertionError.class, () -> MutationFuzzer.of("self-crash", seeds(), List.of(),
            IllegalArgumentException.class).seed(1).cases(1000).run(in -> {
                if (in.length > 12) {
                    throw new IndexOutOfBoundsException("boom");
                }
            }));
        assertTrue(e.getMessage().contains("IndexOutOfBoundsException"), e.getMessage());
        String file = e.getMessage().replaceAll("(?s).*input saved to (\\S+\\.bin).*", "$1");
        assertTrue(Files.size(Path.of(file)) > 12, file);
    }

    @Test
    void aHangingCaseFailsInsteadOfHangingTheBuild() {
        AssertionError e = assertThrows(AssertionError.class, () -> MutationFuzzer.of("self-hang", seeds(), List.of())
            .seed(1).cases(100).hangTimeout(300, TimeUnit.MILLISECONDS).run(in -> {
                if (in.length > 12) {
                    while (!Thread.currentThread().isInterrupted()) {
                        Thread.onSpinWait();
                    }
                }
            }));
        assertTrue(e.getMessage().contains("ran longer than 300 ms"), e.getMessage());
    }
}
