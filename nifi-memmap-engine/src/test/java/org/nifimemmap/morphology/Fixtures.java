package org.nifimemmap.morphology;

import java.nio.file.Path;

/** Paths of the shared fixtures (system property {@code memmap.fixtures}, set by surefire). */
final class Fixtures {
    private Fixtures() {
    }

    static Path root() {
        return Path.of(System.getProperty("memmap.fixtures", "../fixtures")).toAbsolutePath().normalize();
    }

    static Path morphio(String name) {
        return root().resolve("morphologies/morphio").resolve(name);
    }

    static Path sonata(String name) {
        return root().resolve("sonata").resolve(name);
    }
}
