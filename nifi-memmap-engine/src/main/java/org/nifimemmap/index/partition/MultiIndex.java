package org.nifimemmap.index.partition;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import org.nifimemmap.index.Bounds;
import org.nifimemmap.index.ElementType;
import org.nifimemmap.index.IndexDirectory;
import org.nifimemmap.index.Query;
import org.nifimemmap.index.SpatialIndex;
import org.nifimemmap.io.ErrorKind;
import org.nifimemmap.io.MemmapException;

/**
 * Many index files answered as one: the partitions of a multi-index manifest, or every population of an index
 * directory (each population's index, or its multi-index when it was built in partitions). A query visits only the
 * parts whose bounds meet the query's box, so a small query opens few of them.
 */
public final class MultiIndex implements AutoCloseable {
    /** One index file of the whole, with the population it belongs to and its bounds as listed. */
    public record Part(String population, SpatialIndex index, Bounds bounds) {
    }

    /** Receives a match: the part it is in and its record number there. */
    public interface Visitor {
        void accept(Part part, long record);
    }

    private final List<Part> parts;
    private final boolean owned;

    private MultiIndex(List<Part> parts, boolean owned) {
        this.parts = parts;
        this.owned = owned;
    }

    /** One open index seen as a whole of one part; closing the view leaves the index open for its owner. */
    public static MultiIndex of(SpatialIndex index, String population) {
        return new MultiIndex(List.of(new Part(population, index, index.bounds())), false);
    }

    /** True when {@code path} is a multi-index manifest or a directory of several population index directories. */
    public static boolean isMulti(Path path) {
        if (Files.isRegularFile(path)) {
            return path.getFileName().toString().equals(MultiIndexManifest.FILE);
        }
        return Files.isDirectory(path) && !Files.isRegularFile(path.resolve(IndexDirectory.INDEX_FILE));
    }

    public static MultiIndex open(Path path, boolean verifyData) {
        List<Part> parts = new ArrayList<>();
        try {
            if (Files.isRegularFile(path)) {
                addManifest(path, parts, verifyData);
            } else if (Files.isRegularFile(path.resolve(MultiIndexManifest.FILE))) {
                addManifest(path.resolve(MultiIndexManifest.FILE), parts, verifyData);
            } else {
                addPopulations(path, parts, verifyData);
            }
        } catch (RuntimeException e) {
            parts.forEach(p -> p.index().close());
            throw e;
        }
        if (parts.isEmpty()) {
            throw new MemmapException(ErrorKind.INVALID_INPUT, path + " holds no index: neither " + IndexDirectory.INDEX_FILE + ", "
                    + MultiIndexManifest.FILE + ", nor population directories with either");
        }
        ElementType type = parts.getFirst().index().elementType();
        for (Part p : parts) {
            if (p.index().elementType() != type) {
                parts.forEach(q -> q.index().close());
                throw new MemmapException(ErrorKind.INVALID_INPUT, path + " mixes " + type + " and " + p.index().elementType()
                        + " indexes (" + p.index().file() + "); query them apart");
            }
        }
        return new MultiIndex(List.copyOf(parts), true);
    }

    private static void addManifest(Path manifest, List<Part> parts, boolean verifyData) {
        MultiIndexManifest.Contents contents = MultiIndexManifest.read(manifest);
        for (MultiIndexManifest.Part p : contents.parts()) {
            parts.add(new Part(contents.population(), SpatialIndex.open(p.file(), verifyData), p.bounds()));
        }
    }

    private static void addPopulations(Path directory, List<Part> parts, boolean verifyData) {
        List<Path> populations = new ArrayList<>();
        try (DirectoryStream<Path> children = Files.newDirectoryStream(directory, Files::isDirectory)) {
            children.forEach(populations::add);
        } catch (IOException e) {
            throw new MemmapException(ErrorKind.INPUT_UNREADABLE, "Cannot list index directory " + directory + ": " + e, e);
        }
        populations.sort(null);
        for (Path dir : populations) {
            if (dir.getFileName().toString().startsWith(".")) {
                continue; // a builder's temporary
            }
            if (Files.isRegularFile(dir.resolve(MultiIndexManifest.FILE))) {
                addManifest(dir.resolve(MultiIndexManifest.FILE), parts, verifyData);
            } else if (Files.isRegularFile(dir.resolve(IndexDirectory.INDEX_FILE))) {
                SpatialIndex index = SpatialIndex.open(dir.resolve(IndexDirectory.INDEX_FILE), verifyData);
                parts.add(new Part(dir.getFileName().toString(), index, index.bounds()));
            }
        }
    }

    public List<Part> parts() {
        return parts;
    }

    public ElementType elementType() {
        return parts.getFirst().index().elementType();
    }

    /** True when the parts belong to more than one population, so results need a population column. */
    public boolean severalPopulations() {
        return parts.stream().map(Part::population).distinct().count() > 1;
    }

    public long count() {
        return parts.stream().mapToLong(p -> p.index().count()).sum();
    }

    /** Visits every match in every part whose bounds meet the query's box; returns how many there were. */
    public long query(Query query, Visitor visitor) {
        Bounds q = query.shape().bounds();
        long matches = 0;
        for (Part part : parts) {
            Bounds b = part.bounds();
            if (part.index().count() == 0 || b.minX() > q.maxX() || b.maxX() < q.minX() || b.minY() > q.maxY()
                    || b.maxY() < q.minY() || b.minZ() > q.maxZ() || b.maxZ() < q.minZ()) {
                continue;
            }
            matches += part.index().query(query, r -> visitor.accept(part, r));
        }
        return matches;
    }

    public long count(Query query) {
        return query(query, (p, r) -> { });
    }

    /** Matching synapses counted per post_gid over every part, in post_gid order. */
    public SortedMap<Long, Long> countByPostGid(Query query) {
        SortedMap<Long, Long> counts = new TreeMap<>();
        for (Part part : parts) {
            part.index().countByPostGid(query).forEach((gid, n) -> counts.merge(gid, n, Long::sum));
        }
        return counts;
    }

    @Override
    public void close() {
        if (owned) {
            parts.forEach(p -> p.index().close());
        }
    }
}
