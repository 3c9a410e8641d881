package io.spillway.testsupport.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Loads seed corpora: every regular file of a classpath directory, in name order. */
public final class FuzzCorpus {
    private FuzzCorpus() {
    }

    /**
     * The files under the classpath directory {@code resourceDir} (e.g. {@code /fuzz/sdp}), in name
     * order, as bytes.
     *
     * @throws IllegalStateException when the directory is missing or empty (a fuzz target without seeds
     *                               is a mistake, not a pass)
     */
    public static List<byte[]> load(Class<?> anchor, String resourceDir) {
        URL url = anchor.getResource(resourceDir);
        if (url == null) {
            throw new IllegalStateException("no seed corpus at classpath " + resourceDir);
        }
        List<byte[]> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of(url.toURI()))) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                out.add(Files.readAllBytes(f));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        if (out.isEmpty()) {
            throw new IllegalStateException("empty seed corpus at classpath " + resourceDir);
        }
        return out;
    }
}
