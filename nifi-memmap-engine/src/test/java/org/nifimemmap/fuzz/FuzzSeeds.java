package org.nifimemmap.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.provider.Arguments;

/**
 * Seed inputs of the fuzz tests, read at run time from the shared fixtures (system property
 * {@code memmap.fixtures}, set by surefire) so that no fixture is copied into the project. Feed them to a
 * fuzz test with {@code @MethodSource} before its {@code @FuzzTest}: in regression runs each seed is a test
 * case, in fuzzing runs Jazzer starts mutating from them.
 */
final class FuzzSeeds {
    /** Bigger files slow every fuzzing round down and reach no parser path the small ones miss. */
    static final long MAX_SEED_BYTES = 64 * 1024;

    private FuzzSeeds() {
    }

    static Path fixtures() {
        return Path.of(System.getProperty("memmap.fixtures", "../fixtures")).toAbsolutePath().normalize();
    }

    /**
     * Fixture files whose path relative to the fixtures directory matches one of the globs (e.g.
     * {@code "**.swc"}), at most {@link #MAX_SEED_BYTES} long, in path order, each named by that path.
     */
    static Stream<Arguments> matching(String... globs) {
        Path root = fixtures();
        if (!Files.isDirectory(root)) {
            throw new IllegalStateException("fixtures directory " + root + " is missing (system property memmap.fixtures)");
        }
        List<PathMatcher> matchers = Stream.of(globs).map(g -> FileSystems.getDefault().getPathMatcher("glob:" + g)).toList();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(Files::isRegularFile)
                    .filter(f -> matchers.stream().anyMatch(m -> m.matches(root.relativize(f))))
                    .filter(f -> size(f) <= MAX_SEED_BYTES)
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (files.isEmpty()) {
            throw new IllegalStateException("no fixture under " + root + " matches " + List.of(globs));
        }
        return files.stream().map(f -> Arguments.of(Named.of(root.relativize(f).toString(), read(f))));
    }

    /**
     * Our own small seed files, kept in the project under {@code src/test/resources/org/nifimemmap/fuzz/seeds/<dir>/}
     * (for formats the shared fixtures lack), each named by its file name.
     */
    static Stream<Arguments> bundled(String dir) {
        Path root;
        try {
            URL url = FuzzSeeds.class.getResource("seeds/" + dir);
            if (url == null) {
                throw new IllegalStateException("no seed directory seeds/" + dir + " next to " + FuzzSeeds.class);
            }
            root = Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        try (Stream<Path> list = Files.list(root)) {
            return list.filter(Files::isRegularFile).sorted().toList().stream()
                    .map(f -> Arguments.of(Named.of(f.getFileName().toString(), read(f))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long size(Path f) {
        try {
            return Files.size(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] read(Path f) {
        try {
            return Files.readAllBytes(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
