package org.nifimemmap.index;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The directory a builder writes per population: the index file and a JSON manifest describing it. Shared by the
 * synapse and segment builders so both manifests carry the same common keys; each adds what its source was.
 */
public final class IndexDirectory {
    public static final String INDEX_FILE = "index.nmsidx";
    public static final String MANIFEST_FILE = "manifest.json";

    private IndexDirectory() {
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
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(dir.resolve(MANIFEST_FILE).toFile(), m);
    }
}
