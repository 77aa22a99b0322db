package org.nifimemmap.sonata.circuit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.nifimemmap.io.ErrorKind;
import org.nifimemmap.io.MemmapException;
import org.nifimemmap.sonata.config.PopulationConfig;
import org.nifimemmap.sonata.nodes.MorphologyLocator;

/**
 * Which morphology files to read. {@code ANY} tries {@code .h5}, {@code .asc}, {@code .swc} in the morphology
 * directory, the first that exists; the others read one format only, and with a circuit config they take the
 * directory SONATA assigns to that format: {@code morphologies_dir} for SWC, {@code alternate_morphologies}
 * {@code neurolucida-asc} and {@code h5v1} for the others (a file there is a morphology container), falling
 * back to {@code morphologies_dir} when the config names no alternate for the format.
 */
public enum MorphologyFormat {
    ANY(null, MorphologyLocator.DEFAULT_EXTENSIONS),
    SWC(null, List.of("swc")),
    NEUROLUCIDA_ASC("neurolucida-asc", List.of("asc")),
    H5V1("h5v1", List.of("h5"));

    private final String alternateKey;
    private final List<String> extensions;

    MorphologyFormat(String alternateKey, List<String> extensions) {
        this.alternateKey = alternateKey;
        this.extensions = extensions;
    }

    /** Accepts the enum names and the circuit config's spellings ({@code neurolucida-asc}, {@code h5v1}), any case. */
    public static MorphologyFormat parse(String text) {
        String t = text.strip().toUpperCase(Locale.ROOT).replace('-', '_');
        for (MorphologyFormat f : values()) {
            if (f.name().equals(t)) {
                return f;
            }
        }
        throw new MemmapException(ErrorKind.INVALID_CONFIG, "Unknown morphology format '" + text + "'; use one of any, swc, "
                + "neurolucida-asc, h5v1");
    }

    /** The format's file extensions, in the order they are tried. */
    public List<String> extensions() {
        return extensions;
    }

    /** Where a circuit config puts this format's morphologies for {@code population}. */
    Path location(Path config, PopulationConfig population) {
        // Without an alternate_morphologies entry, the format's files may sit in morphologies_dir beside the SWC ones.
        Path location = alternateKey == null ? population.morphologiesDir()
                : population.alternateMorphologies().getOrDefault(alternateKey, population.morphologiesDir());
        if (location == null) {
            throw new MemmapException(ErrorKind.INVALID_CONFIG, "Circuit config " + config + ": node population '"
                    + population.name() + "' names no morphologies_dir"
                    + (alternateKey == null ? "" : " and no alternate_morphologies." + alternateKey));
        }
        return location;
    }

    /** A locator over a morphology directory (files with this format's extensions) or a container file. */
    MorphologyLocator locator(Path location, int cacheSize) {
        if (Files.isRegularFile(location)) {
            if (this == SWC || this == NEUROLUCIDA_ASC) {
                throw new MemmapException(ErrorKind.INVALID_CONFIG, location + " is a file, but " + name().toLowerCase(Locale.ROOT)
                        + " morphologies are read from a directory; only HDF5 morphologies come in containers");
            }
            return MorphologyLocator.container(location, cacheSize);
        }
        return MorphologyLocator.directory(location, extensions, cacheSize);
    }
}
