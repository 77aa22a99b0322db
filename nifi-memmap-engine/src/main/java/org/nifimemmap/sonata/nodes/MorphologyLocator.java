package org.nifimemmap.sonata.nodes;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.nifimemmap.io.ErrorKind;
import org.nifimemmap.io.MemmapException;
import org.nifimemmap.morphology.H5MorphologyReader;
import org.nifimemmap.morphology.Morphology;
import org.nifimemmap.morphology.MorphologyFiles;

/**
 * Finds and reads the morphology of a node: in a {@code morphologies_dir} as {@code <name>.h5},
 * {@code <name>.asc}, {@code <name>.swc} (the first that exists, in that order unless the caller names
 * the extensions, as a circuit config's {@code alternate_morphologies} does), or as group {@code <name>}
 * of a morphology container. Parsed morphologies are kept in a small LRU cache, because circuits reuse a
 * few thousand morphologies across millions of nodes. Thread-safe.
 */
public final class MorphologyLocator {
    public static final List<String> DEFAULT_EXTENSIONS = List.of("h5", "asc", "swc");

    private final Path location;
    private final List<String> extensions;
    private final boolean container;
    private final Map<String, Morphology> cache;
    private final AtomicLong parsed = new AtomicLong();

    private MorphologyLocator(Path location, List<String> extensions, boolean container, int cacheSize) {
        if (cacheSize < 1) {
            throw new IllegalArgumentException("cache size must be at least 1");
        }
        this.location = location;
        this.extensions = List.copyOf(extensions);
        this.container = container;
        this.cache = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Morphology> eldest) {
                return size() > cacheSize;
            }
        };
    }

    /** A morphology directory; {@code extensions} without dots, tried in order. */
    public static MorphologyLocator directory(Path dir, List<String> extensions, int cacheSize) {
        if (!Files.isDirectory(dir)) {
            throw new MemmapException(ErrorKind.INPUT_NOT_FOUND, dir + ": morphology directory does not exist");
        }
        return new MorphologyLocator(dir, extensions, false, cacheSize);
    }

    public static MorphologyLocator directory(Path dir, int cacheSize) {
        return directory(dir, DEFAULT_EXTENSIONS, cacheSize);
    }

    /** An HDF5 morphology container: one group a morphology, named as the node's morphology. */
    public static MorphologyLocator container(Path file, int cacheSize) {
        if (!Files.isRegularFile(file)) {
            throw new MemmapException(ErrorKind.INPUT_NOT_FOUND, file + ": morphology container does not exist");
        }
        return new MorphologyLocator(file, List.of(), true, cacheSize);
    }

    /** The node's morphology; failures name the node, the morphology and the file. */
    public Morphology load(NodePlacement node) {
        String name = node.morphology();
        if (name == null || name.isEmpty()) {
            throw new MemmapException(ErrorKind.INVALID_INPUT, "node " + node.nodeId() + " has no morphology name");
        }
        synchronized (cache) {
            Morphology cached = cache.get(name);
            if (cached != null) {
                return cached;
            }
        }
        Morphology m;
        try {
            m = container ? new H5MorphologyReader().read(location, name) : MorphologyFiles.read(find(name));
        } catch (MemmapException e) {
            throw new MemmapException(e.kind(), "node " + node.nodeId() + ", morphology '" + name + "': "
                    + e.getMessage(), e);
        }
        parsed.incrementAndGet();
        synchronized (cache) {
            cache.put(name, m);
        }
        return m;
    }

    /** How many morphologies were read from files so far (cache misses that parsed). */
    public long parsed() {
        return parsed.get();
    }

    /** The file {@link #load} would read for {@code name}, in a directory. */
    public Path find(String name) {
        List<Path> tried = new ArrayList<>();
        for (String ext : extensions) {
            Path candidate = location.resolve(name + "." + ext);
            if (Files.exists(candidate)) {
                return candidate;
            }
            tried.add(candidate);
        }
        throw new MemmapException(ErrorKind.INPUT_NOT_FOUND, "no morphology file, tried " + tried);
    }
}
