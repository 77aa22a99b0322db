package org.nifimemmap.index.partition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nifimemmap.index.Bounds;
import org.nifimemmap.index.ElementType;
import org.nifimemmap.index.IndexDirectory;
import org.nifimemmap.index.SpatialIndex;
import org.nifimemmap.io.AtomicOutput;
import org.nifimemmap.io.ConflictStrategy;
import org.nifimemmap.io.ErrorKind;
import org.nifimemmap.io.MemmapException;

/**
 * The multi-index manifest of a partitioned build, {@code <outputDir>/<population>/multi-index.json}: the partitions
 * with their index files (relative paths), element counts and bounds, and the totals. Written only once every
 * partition's index exists and opens with a valid header, so it never names a partition that does not exist.
 */
public final class MultiIndexManifest {
    public static final String FILE = "multi-index.json";
    public static final String FORMAT = "nifi-memmap multi-index";

    /** Parsing JSON is the bulk of opening a multi-index; one mapper, built once, keeps the open well under a millisecond. */
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A manifest as read: the population and its partitions. */
    public record Contents(String population, List<Part> parts) {
    }

    /** One partition as the manifest lists it. */
    public record Part(int index, Path file, long elements, Bounds bounds) {
    }

    private MultiIndexManifest() {
    }

    /** Checks the {@code count} partitions in {@code populationDir} and writes the manifest atomically (replacing one). */
    public static Path write(Path populationDir, String population, int count) {
        List<Part> parts = new ArrayList<>();
        ElementType type = null;
        for (int i = 0; i < count; i++) {
            Path file = populationDir.resolve(new Partition(i, count, Region.ALL).directoryName()).resolve(IndexDirectory.INDEX_FILE);
            if (!Files.isRegularFile(file)) {
                throw new MemmapException(ErrorKind.INPUT_NOT_FOUND, "Partition " + i + " of " + count + " of population "
                        + population + " is missing: " + file + " does not exist (build it, then write the manifest again)");
            }
            try (SpatialIndex index = SpatialIndex.open(file, false)) {
                if (type != null && index.elementType() != type) {
                    throw new MemmapException(ErrorKind.INVALID_INPUT, file + " holds " + index.elementType() + " elements but"
                            + " partition 0 holds " + type);
                }
                type = index.elementType();
                parts.add(new Part(i, file, index.count(), index.bounds()));
            }
        }
        long total = parts.stream().mapToLong(Part::elements).sum();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", FORMAT);
        m.put("format_version", 1);
        m.put("population", population);
        m.put("element_type", type == null ? "none" : type.name().toLowerCase(java.util.Locale.ROOT));
        m.put("elements", total);
        m.put("bounds", bounds(union(parts)));
        List<Map<String, Object>> list = new ArrayList<>();
        for (Part p : parts) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("partition", p.index());
            e.put("index_file", populationDir.relativize(p.file()).toString());
            e.put("elements", p.elements());
            e.put("bounds", bounds(p.bounds()));
            list.add(e);
        }
        m.put("partitions", list);
        Path target = populationDir.resolve(FILE);
        try (AtomicOutput out = AtomicOutput.begin(target, ConflictStrategy.REPLACE)) {
            JSON.writer().with(SerializationFeature.INDENT_OUTPUT).writeValue(out.temporary().toFile(), m);
            out.commit();
        } catch (IOException e) {
            throw AtomicOutput.writeFailure(target, e);
        }
        return target;
    }

    /** The population and partitions a manifest lists, with the partitions' files resolved beside it. */
    public static Contents read(Path manifest) {
        JsonNode root;
        try {
            root = JSON.readTree(manifest.toFile());
        } catch (IOException e) {
            throw new MemmapException(ErrorKind.INVALID_INPUT, manifest + " is not a readable multi-index manifest: " + e.getMessage(), e);
        }
        if (!FORMAT.equals(root.path("format").asText())) {
            throw new MemmapException(ErrorKind.INVALID_INPUT, manifest + " is not a multi-index manifest (format '"
                    + root.path("format").asText() + "')");
        }
        Path base = manifest.toAbsolutePath().getParent();
        List<Part> parts = new ArrayList<>();
        for (JsonNode p : root.path("partitions")) {
            Path file = base.resolve(p.path("index_file").asText()).normalize();
            if (!file.startsWith(base)) {
                throw new MemmapException(ErrorKind.INVALID_INPUT, manifest + ": partition file " + p.path("index_file").asText()
                        + " lies outside the manifest's directory");
            }
            JsonNode min = p.path("bounds").path("min");
            JsonNode max = p.path("bounds").path("max");
            parts.add(new Part(p.path("partition").asInt(), file, p.path("elements").asLong(), new Bounds(min.path(0).asDouble(),
                    min.path(1).asDouble(), min.path(2).asDouble(), max.path(0).asDouble(), max.path(1).asDouble(), max.path(2).asDouble())));
        }
        return new Contents(root.path("population").asText(), parts);
    }

    private static Bounds union(List<Part> parts) {
        List<Part> nonEmpty = parts.stream().filter(p -> p.elements() > 0).toList();
        if (nonEmpty.isEmpty()) {
            return Bounds.EMPTY;
        }
        double[] b = nonEmpty.getFirst().bounds().toArray();
        for (Part p : nonEmpty) {
            double[] o = p.bounds().toArray();
            for (int a = 0; a < 3; a++) {
                b[a] = Math.min(b[a], o[a]);
                b[a + 3] = Math.max(b[a + 3], o[a + 3]);
            }
        }
        return new Bounds(b[0], b[1], b[2], b[3], b[4], b[5]);
    }

    private static Map<String, Object> bounds(Bounds b) {
        return Map.of("min", List.of(b.minX(), b.minY(), b.minZ()), "max", List.of(b.maxX(), b.maxY(), b.maxZ()));
    }
}
