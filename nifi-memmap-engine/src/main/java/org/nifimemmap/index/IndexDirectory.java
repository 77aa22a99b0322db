package org.nifimemmap.index;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The directory a builder writes per population: the index file and a JSON manifest describing it. Shared by the
 * synapse and segment builders so both manifests carry the same common keys; each adds what its source was.
 */
public final class IndexDirectory {
    public static final String INDEX_FILE = "index.nmsidx";
    public static final String MANIFEST_FILE = "manifest.json";

    private static final AtomicBoolean PREPARING = new AtomicBoolean();

    private IndexDirectory() {
    }

    /** One writer for every manifest: building Jackson's serializers once, not per manifest. */
    private static final class Json {
        static final ObjectWriter WRITER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writer();
    }

    /**
     * Starts loading the manifest writer on a spare thread. In a fresh JVM (a command-line or stateless run) Jackson's
     * classes take ~0.2 s to load; a builder calls this as it starts, so the manifest written at its end does not
     * wait for them. Later calls do nothing.
     */
    public static void prepareManifestWriter() {
        if (PREPARING.compareAndSet(false, true)) {
            Thread.ofPlatform().daemon().name("manifest-writer-preparation").start(() -> {
                try {
                    Map<String, Object> sample = new LinkedHashMap<>();
                    sample.put("elements", 1L);
                    sample.put("bounds", Map.of("min", List.of(0.0, 0.0, 0.0)));
                    sample.put("columns", List.of(Map.of("name", "x", "offset", 0)));
                    Json.WRITER.writeValueAsString(sample);
                } catch (IOException | RuntimeException ignored) {
                    // Only a head start: the manifest writer reports its own errors.
                }
            });
        }
    }

    /**
     * Writes {@code dir/manifest.json}: format, version, element type and count, file size, bounds, the columns
     * read back from the written index, then {@code extra} entries (source files, counts) in their order.
     */
    public static void writeManifest(Path dir, IndexSummary summary, Map<String, Object> extra) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", "nifi-memmap spatial index");
        m.put("format_version", SpatialIndex.FORMAT_VERSION);
        m.put("index_file", INDEX_FILE);
        List<Map<String, Object>> columns = new ArrayList<>();
        try (SpatialIndex index = SpatialIndex.open(summary.file(), false)) {
            for (Field f : index.layout().fields()) {
                columns.add(Map.of("name", f.name(), "dtype", f.type().numpy(), "offset", f.offset()));
            }
        }
        m.put("element_type", summary.elementType().name().toLowerCase(Locale.ROOT));
        m.put("elements", summary.elements());
        m.put("file_bytes", summary.fileBytes());
        m.put("bounds", Map.of(
                "min", List.of(summary.bounds().minX(), summary.bounds().minY(), summary.bounds().minZ()),
                "max", List.of(summary.bounds().maxX(), summary.bounds().maxY(), summary.bounds().maxZ())));
        m.putAll(extra);
        m.put("columns", columns);
        Json.WRITER.writeValue(dir.resolve(MANIFEST_FILE).toFile(), m);
    }
}
