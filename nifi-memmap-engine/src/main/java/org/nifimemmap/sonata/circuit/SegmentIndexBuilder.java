package org.nifimemmap.sonata.circuit;

import io.jhdf.HdfFile;
import io.jhdf.api.Group;
import io.jhdf.exceptions.HdfException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nifimemmap.index.IndexDirectory;
import org.nifimemmap.index.IndexSummary;
import org.nifimemmap.index.SegmentIndexWriter;
import org.nifimemmap.index.SegmentSink;
import org.nifimemmap.index.partition.PartitionedOutput;
import org.nifimemmap.index.partition.Region;
import org.nifimemmap.io.AtomicOutput;
import org.nifimemmap.io.ScratchSpace;
import org.nifimemmap.io.ErrorKind;
import org.nifimemmap.io.MemmapException;
import org.nifimemmap.morphology.Morphology;
import org.nifimemmap.sonata.config.CircuitConfig;
import org.nifimemmap.sonata.config.PopulationConfig;
import org.nifimemmap.sonata.nodes.CellElements;
import org.nifimemmap.sonata.nodes.MorphologyLocator;
import org.nifimemmap.sonata.nodes.NodePlacement;
import org.nifimemmap.sonata.nodes.NodePopulationReader;
import org.nifimemmap.sonata.nodes.NodeSelection;
import org.nifimemmap.sonata.nodes.SectionSpheres;

/**
 * Builds one segment index directory per SONATA node population: {@code <outputDir>/<population>/} holding the
 * index file (a soma sphere and the placed segment cylinders of every selected node) and a JSON manifest. Nodes
 * are read in batches and placed grouped by morphology, in one pass per group of morphologies the cache holds when
 * there are more (see {@link MorphologyGroups}), so each morphology is parsed once; each cell is placed and streamed
 * into the out-of-core index writer, so heap use does not grow with the circuit. Each directory appears atomically (built in a hidden sibling, renamed).
 */
public final class SegmentIndexBuilder {
    /**
     * Parsed morphologies kept. Circuits reuse each morphology for many nodes; 256 large morphologies (~30,000
     * points each) stay under ~200 MB of heap.
     */
    static final int MORPHOLOGY_CACHE = 256;
    /** Nodes read and placed together; within a batch they are visited grouped by morphology. */
    static final int BATCH = 65_536;

    private SegmentIndexBuilder() {
    }

    /** A population to index: where its nodes are and where its morphologies are. */
    public record Source(String population, Path nodesFile, Path morphologies) {
    }

    public static List<SegmentIndexResult> build(SegmentIndexRequest request) {
        if (!Files.isDirectory(request.outputDir())) {
            throw new MemmapException(ErrorKind.OUTPUT_UNWRITABLE, "Output directory does not exist: " + request.outputDir());
        }
        IndexDirectory.prepareManifestWriter();
        List<SegmentIndexResult> results = new ArrayList<>();
        for (Source source : sources(request)) {
            results.add(buildOne(request, source));
        }
        return results;
    }

    /** The populations to index, in config / file order, filtered by the request's population list. */
    public static List<Source> sources(SegmentIndexRequest request) {
        List<Source> chosen = new ArrayList<>();
        if (request.circuitConfig() != null) {
            CircuitConfig config = CircuitConfig.load(request.circuitConfig());
            List<String> all = config.nodePopulations().stream().map(PopulationConfig::name).toList();
            List<String> names = request.populations().isEmpty()
                    ? config.nodePopulations().stream().filter(p -> p.type().equals("biophysical")).map(PopulationConfig::name).toList()
                    : request.populations();
            for (String name : names) {
                requireKnown(request, all, name);
                PopulationConfig p = config.nodePopulation(name).orElseThrow();
                chosen.add(new Source(name, p.file(), request.morphologyFormat().location(request.circuitConfig(), p)));
            }
            return chosen;
        }
        List<String> all = populationsOf(request.nodesFile());
        for (String name : request.populations().isEmpty() ? all : request.populations()) {
            requireKnown(request, all, name);
            chosen.add(new Source(name, request.nodesFile(), request.morphologies()));
        }
        return chosen;
    }

    private static void requireKnown(SegmentIndexRequest request, List<String> all, String name) {
        if (!all.contains(name)) {
            throw new MemmapException(ErrorKind.INVALID_CONFIG, "No node population '" + name + "' in "
                    + (request.circuitConfig() != null ? request.circuitConfig() : request.nodesFile()) + "; it has " + all);
        }
    }

    /** The node populations of a nodes file, in file order. */
    public static List<String> populationsOf(Path nodesFile) {
        if (!Files.isRegularFile(nodesFile)) {
            throw new MemmapException(ErrorKind.INPUT_NOT_FOUND, nodesFile + ": nodes file does not exist");
        }
        try (HdfFile hdf = new HdfFile(nodesFile)) {
            if (!(hdf.getChild("nodes") instanceof Group nodes)) {
                throw new MemmapException(ErrorKind.INVALID_INPUT, nodesFile + ": no group /nodes");
            }
            return List.copyOf(nodes.getChildren().keySet());
        } catch (HdfException e) {
            throw new MemmapException(ErrorKind.INVALID_INPUT, nodesFile + ": not a readable HDF5 file: " + e.getMessage(), e);
        }
    }

    private static SegmentIndexResult buildOne(SegmentIndexRequest request, Source source) {
        Path target = PartitionedOutput.target(request.outputDir(), source.population(), request.partition());
        try (AtomicOutput out = AtomicOutput.begin(target, request.conflict())) {
            if (out.skipped()) {
                return new SegmentIndexResult(source.population(), target, -1, -1, null, 0, SkippedNodes.NONE, true);
            }
            MorphologyLocator locator = request.morphologyFormat().locator(source.morphologies(), MORPHOLOGY_CACHE);
            Path dir = Files.createDirectories(out.temporary());
            IndexSummary summary;
            CellStream cells;
            try (NodePopulationReader nodes = new NodePopulationReader(source.nodesFile(), source.population());
                 ScratchSpace scratch = ScratchSpace.under(request.scratchDirectory(), dir);
                 SegmentIndexWriter writer = SegmentIndexWriter.forPopulation(scratch.directory(), request.memoryMapSizeBytes(), 0,
                     nodes.size())) {
                if (!nodes.hasMorphology()) {
                    throw new MemmapException(ErrorKind.INVALID_INPUT, source.nodesFile() + ":/nodes/" + source.population()
                            + "/0 has no 'morphology' dataset; only populations with morphologies can be indexed");
                }
                cells = new CellStream(request, source, locator, writer, writer.capacity());
                List<NodeSelection.Range> ranges = request.nodeIds().resolve(nodes.size(), source.population());
                MorphologyGroups groups = MorphologyGroups.plan(nodes, ranges, BATCH, MORPHOLOGY_CACHE);
                for (int pass = 0; pass < groups.passes(); pass++) {
                    for (NodeSelection.Range range : ranges) {
                        for (long first = range.first(); first <= range.last(); first += BATCH) {
                            cells.addBatch(nodes.read(first, (int) Math.min(BATCH, range.last() - first + 1)), groups, pass);
                        }
                    }
                }
                cells.requireWithinBudget();
                summary = writer.writeTo(dir.resolve(IndexDirectory.INDEX_FILE));
            }
            SkippedNodes skipped = cells.skipped.result();
            IndexDirectory.writeManifest(dir, summary, manifest(request, source, cells.nodes, locator.parsed(), skipped));
            return out.commit()
                    ? new SegmentIndexResult(source.population(), target, cells.nodes, summary.elements(), summary.bounds(),
                            locator.parsed(), skipped, false)
                    : new SegmentIndexResult(source.population(), target, -1, -1, null, 0, SkippedNodes.NONE, true);
        } catch (IOException e) {
            throw AtomicOutput.writeFailure(target, e);
        } catch (InternalError e) {
            throw AtomicOutput.mappedWriteFailure(target, e);
        }
    }

    private static Map<String, Object> manifest(SegmentIndexRequest request, Source source, long nodes, long parsed,
                                                SkippedNodes skipped) {
        Map<String, Object> from = new LinkedHashMap<>();
        if (request.circuitConfig() != null) {
            from.put("circuit_config", absolute(request.circuitConfig()));
        }
        from.put("nodes_file", absolute(source.nodesFile()));
        from.put("population", source.population());
        from.put("morphologies", absolute(source.morphologies()));
        from.put("morphology_format", request.morphologyFormat().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
        from.put("node_ids", request.nodeIds().isAll() ? "all" : SkippedNodes.format(request.nodeIds()));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("source", from);
        m.put("nodes", nodes);
        m.put("morphologies_parsed", parsed);
        Map<String, Object> left = new LinkedHashMap<>();
        left.put("count", skipped.count());
        left.put("ids", skipped.idsText());
        left.put("ids_complete", skipped.idsComplete());
        left.put("errors", skipped.errors());
        m.put("skipped_nodes", left);
        PartitionedOutput.describe(request.partition(), m);
        return m;
    }

    private static String absolute(Path p) {
        return p.toAbsolutePath().normalize().toString();
    }

    /**
     * Turns the nodes of one population into index elements. Keeps the Memory Map Size check ahead of the writer:
     * once the next cell would not fit, it only counts the remaining elements, so the error states the total need.
     */
    private static final class CellStream implements CellElements.Sink {
        private final SegmentIndexRequest request;
        private final Source source;
        private final MorphologyLocator locator;
        private final SegmentSink sink;
        private final SkippedNodes.Collector skipped = new SkippedNodes.Collector();
        /** Morphology names already found unreadable, so each failing file is tried once. */
        private final Set<String> unreadable = new HashSet<>();
        private final List<Long> batchSkipped = new ArrayList<>();
        /** The partition's region, or null for a whole build. */
        private final Region region;
        /** Section spheres by morphology source, as many as the morphology cache holds. */
        private final Map<String, SectionSpheres> spheres = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, SectionSpheres> eldest) {
                return size() > MORPHOLOGY_CACHE;
            }
        };
        /** The most elements the Memory Map Size holds. */
        private final long maxElements;
        private long nodes;
        private long elements;
        private boolean overBudget;

        CellStream(SegmentIndexRequest request, Source source, MorphologyLocator locator, SegmentSink sink, long capacity) {
            this.request = request;
            this.source = source;
            this.locator = locator;
            this.sink = sink;
            this.region = request.partition() == null ? null : request.partition().region();
            this.maxElements = capacity;
        }

        /**
         * Places the nodes of a batch that belong to this pass, grouped by morphology name, so each morphology of
         * the batch is parsed at most once even when a single pass must place more morphologies than the cache
         * holds. Skipped ids are recorded in id order, as ranges.
         */
        void addBatch(List<NodePlacement> batch, MorphologyGroups groups, int pass) {
            List<NodePlacement> grouped = new ArrayList<>(batch.size());
            for (NodePlacement node : batch) {
                if (groups.places(node, pass)) {
                    grouped.add(node);
                }
            }
            grouped.sort(Comparator.comparing(NodePlacement::morphology, Comparator.nullsFirst(Comparator.naturalOrder())));
            for (NodePlacement node : grouped) {
                add(node);
            }
            batchSkipped.sort(null);
            batchSkipped.forEach(skipped::add);
            batchSkipped.clear();
        }

        private void add(NodePlacement node) {
            Morphology m = morphology(node);
            if (m == null) {
                return;
            }
            if (region != null) {
                addPart(m, node);
                return;
            }
            long cell = m.segmentCount() + (m.soma().pointCount() > 0 ? 1 : 0);
            if (!overBudget && SegmentIndexWriter.mapBytesNeeded(elements + cell) > request.memoryMapSizeBytes()) {
                overBudget = true;
            }
            elements += cell;
            nodes++;
            if (overBudget) {
                return;
            }
            emit(m, node, null);
        }

        /**
         * A partition keeps the elements of a cell that lie in its region, wherever the soma is, so that partitions do
         * not overlap by a dendritic radius. Its node count is the cells it holds elements of.
         */
        private void addPart(Morphology m, NodePlacement node) {
            SectionSpheres spheres = spheres(m);
            if (!spheres.cellMeets(node, region)) {
                return;
            }
            long before = elements;
            emit(m, node, spheres);
            if (elements > before) {
                nodes++;
            }
        }

        private SectionSpheres spheres(Morphology m) {
            return spheres.computeIfAbsent(m.source(), k -> SectionSpheres.of(m));
        }

        private void emit(Morphology m, NodePlacement node, SectionSpheres spheres) {
            try {
                CellElements.emit(m, node, this, region, spheres);
            } catch (MemmapException e) {
                throw new MemmapException(e.kind(), where() + " node " + node.nodeId() + " (morphology " + m.source() + "): "
                        + e.getMessage(), e);
            }
        }

        private Morphology morphology(NodePlacement node) {
            if (request.skipUnreadableMorphologies() && node.morphology() != null && unreadable.contains(node.morphology())) {
                batchSkipped.add(node.nodeId());
                return null;
            }
            try {
                return locator.load(node);
            } catch (MemmapException e) {
                MemmapException named = new MemmapException(e.kind(), where() + ": " + e.getMessage(), e);
                if (!request.skipUnreadableMorphologies()) {
                    throw named;
                }
                if (node.morphology() != null) {
                    unreadable.add(node.morphology());
                }
                batchSkipped.add(node.nodeId());
                skipped.error(named.getMessage());
                return null;
            }
        }

        void requireWithinBudget() {
            if (overBudget) {
                long need = SegmentIndexWriter.mapBytesNeeded(elements);
                throw new MemmapException(ErrorKind.INVALID_CONFIG, String.format(
                        "Memory Map Size of %,d bytes is too small: indexing %,d elements of %,d nodes of %s needs at least %,d bytes (%.1f MiB) of mapped scratch space",
                        request.memoryMapSizeBytes(), elements, nodes, where(), need, need / 1048576.0));
            }
        }

        private String where() {
            return source.nodesFile() + ":/nodes/" + source.population();
        }

        @Override
        public void soma(long nodeId, float x, float y, float z, float radius) {
            if (fits()) {
                sink.addSoma(nodeId, x, y, z, radius);
            }
        }

        @Override
        public void segment(long nodeId, int sectionId, int segmentId, int sectionType,
                            float x1, float y1, float z1, float x2, float y2, float z2, float radius) {
            if (fits()) {
                sink.addSegment(nodeId, sectionId, segmentId, sectionType, x1, y1, z1, x2, y2, z2, radius);
            }
        }

        /**
         * A whole build counts a cell's elements before emitting it; a partition learns how many of them it keeps only
         * while emitting, so it counts here and, past the budget, goes on counting without writing.
         */
        private boolean fits() {
            if (region == null) {
                return true;
            }
            elements++;
            if (elements > maxElements) {
                overBudget = true;
            }
            return !overBudget;
        }
    }
}
