package org.nifimemmap.sonata.edges;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.FutureTask;
import org.nifimemmap.index.IndexDirectory;
import org.nifimemmap.index.IndexSummary;
import org.nifimemmap.index.SynapseIndexWriter;
import org.nifimemmap.index.SynapseSink;
import org.nifimemmap.index.partition.Partition;
import org.nifimemmap.index.partition.PartitionedOutput;
import org.nifimemmap.index.partition.Region;
import org.nifimemmap.io.AtomicOutput;
import org.nifimemmap.io.Await;
import org.nifimemmap.io.ErrorKind;
import org.nifimemmap.io.MemmapException;
import org.nifimemmap.io.ScratchSpace;
import org.nifimemmap.sonata.config.CircuitConfig;
import org.nifimemmap.sonata.config.PopulationConfig;

/**
 * Builds one synapse index directory per SONATA edge population: {@code <outputDir>/<population>/} holding the
 * index file and a small JSON manifest. Each directory appears atomically (built in a hidden sibling, renamed).
 */
public final class SynapseIndexBuilder {
    public static final String INDEX_FILE = IndexDirectory.INDEX_FILE;
    public static final String MANIFEST_FILE = IndexDirectory.MANIFEST_FILE;

    private SynapseIndexBuilder() {
    }

    public static List<SynapseIndexResult> build(SynapseIndexRequest request) {
        requireOutputDirectory(request);
        List<SynapseIndexResult> results = new ArrayList<>();
        for (Map.Entry<String, Path> source : sources(request).entrySet()) {
            results.add(buildOne(request, source.getValue(), source.getKey()));
        }
        return results;
    }

    private static void requireOutputDirectory(SynapseIndexRequest request) {
        if (!Files.isDirectory(request.outputDir())) {
            throw new MemmapException(ErrorKind.OUTPUT_UNWRITABLE, "Output directory does not exist: " + request.outputDir());
        }
    }

    /** Population name to edges file, in config / file order, filtered by the request's population list. */
    private static Map<String, Path> sources(SynapseIndexRequest request) {
        Map<String, Path> all = new LinkedHashMap<>();
        if (request.circuitConfig() != null) {
            CircuitConfig config = CircuitConfig.load(request.circuitConfig());
            for (PopulationConfig p : config.edgePopulations()) {
                all.put(p.name(), p.file());
            }
        } else {
            try (EdgesFile edges = EdgesFile.open(request.edgesFile())) {
                for (String name : edges.populations()) {
                    all.put(name, request.edgesFile());
                }
            }
        }
        if (request.populations().isEmpty()) {
            return all;
        }
        Map<String, Path> chosen = new LinkedHashMap<>();
        for (String name : request.populations()) {
            Path file = all.get(name);
            if (file == null) {
                throw new MemmapException(ErrorKind.INVALID_CONFIG, "No edge population '" + name + "' in "
                        + (request.circuitConfig() != null ? request.circuitConfig() : request.edgesFile()) + "; it has " + all.keySet());
            }
            chosen.put(name, file);
        }
        return chosen;
    }

    private static SynapseIndexResult buildOne(SynapseIndexRequest request, Path edgesPath, String population) {
        return buildTogether(request, edgesPath, population, Collections.singletonList(request.partition())).getFirst();
    }

    /**
     * Builds several partitions of one population (the request's only population, or the edges file's only one) in
     * one read of its rows, as a node that holds several partitions of a build does: each row goes to the partition
     * whose region holds it. Every partition is a normal index directory, the same as if built alone, that appears
     * atomically on its own; none is committed before all are written, so a failure while reading, sorting or writing
     * leaves none of them. Results in the order of {@code partitions}.
     */
    public static List<SynapseIndexResult> buildPartitions(SynapseIndexRequest request, List<Partition> partitions) {
        requireOutputDirectory(request);
        Map<String, Path> sources = sources(request);
        if (sources.size() != 1) {
            throw new MemmapException(ErrorKind.INVALID_CONFIG, "Partitions are built for one population at a time; "
                    + (request.circuitConfig() != null ? request.circuitConfig() : request.edgesFile()) + " has " + sources.keySet());
        }
        if (partitions.isEmpty() || partitions.stream().anyMatch(Objects::isNull)
                || partitions.stream().map(Partition::index).distinct().count() != partitions.size()
                || partitions.stream().map(Partition::count).distinct().count() != 1) {
            throw new MemmapException(ErrorKind.INVALID_CONFIG, "Partitions built together must be different partitions of one plan: "
                    + partitions);
        }
        Map.Entry<String, Path> source = sources.entrySet().iterator().next();
        return buildTogether(request, source.getValue(), source.getKey(), partitions);
    }

    /** {@code partitions} may be a list holding only null: the whole population. */
    private static List<SynapseIndexResult> buildTogether(SynapseIndexRequest request, Path edgesPath, String population,
                                                          List<Partition> partitions) {
        IndexDirectory.prepareManifestWriter();
        List<PartitionBuild> builds = new ArrayList<>();
        Path current = PartitionedOutput.path(request.outputDir(), population, partitions.getFirst());
        try (EdgesFile edges = EdgesFile.open(edgesPath)) {
            EdgePopulation pop = edges.population(population, request.extraAttributes());
            for (Partition partition : partitions) {
                current = PartitionedOutput.target(request.outputDir(), population, partition);
                builds.add(PartitionBuild.begin(request, pop, partition, current));
            }
            List<PartitionBuild> active = builds.stream().filter(b -> b.writer != null).toList();
            if (active.size() == 1) {
                Partition only = active.getFirst().partition;
                pop.readInto(active.getFirst().writer, only == null ? null : only.region());
            } else if (!active.isEmpty()) {
                readTogether(edgesPath, population, request.extraAttributes(), pop, active);
                // Every writer's spill buffers back to the pool before the first sort, which would otherwise take
                // fresh memory (a first sort of four was 185 ms instead of 90).
                active.forEach(b -> b.writer.endInput());
            }
            for (PartitionBuild b : active) {
                current = b.out.target();
                b.finish(pop);
            }
            List<SynapseIndexResult> results = new ArrayList<>();
            for (PartitionBuild b : builds) {
                current = b.out.target();
                results.add(b.commit(population));
            }
            return results;
        } catch (IOException e) {
            throw AtomicOutput.writeFailure(current, e);
        } catch (InternalError e) {
            throw AtomicOutput.mappedWriteFailure(current, e);
        } finally {
            for (PartitionBuild b : builds.reversed()) {
                b.close();
            }
        }
    }

    /**
     * Reads the rows of several partitions: with two cores, on two threads, each reading every row and adding those of
     * every other partition (a second reader of the file of its own), since one thread reading and spilling keeps
     * only about one and a half cores busy. Each partition's rows still come from one thread in row order, so what is
     * built is the same.
     */
    private static void readTogether(Path edgesPath, String population, List<String> extraAttributes, EdgePopulation pop,
                                     List<PartitionBuild> active) {
        List<Region> regions = active.stream().map(b -> b.partition.region()).toList();
        if (Runtime.getRuntime().availableProcessors() < 2) {
            pop.readInto(active.stream().map(b -> b.writer).toList(), regions);
            return;
        }
        List<SynapseSink> even = new ArrayList<>(), odd = new ArrayList<>();
        for (int i = 0; i < active.size(); i++) {
            even.add(i % 2 == 0 ? active.get(i).writer : null);
            odd.add(i % 2 == 1 ? active.get(i).writer : null);
        }
        FutureTask<Void> second = new FutureTask<>(() -> {
            try (EdgesFile again = EdgesFile.open(edgesPath)) {
                again.population(population, extraAttributes).readInto(odd, regions);
            }
            return null;
        });
        Thread.ofPlatform().daemon().name("synapse-partition-reader").start(second);
        Throwable failure = null;
        try {
            pop.readInto(even, regions);
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        try {
            Await.result(second, "reading " + edgesPath);
        } catch (IOException | RuntimeException | Error e) {
            failure = failure != null ? failure : e;
        }
        if (failure instanceof RuntimeException r) {
            throw r;
        } else if (failure instanceof Error r) {
            throw r;
        } else if (failure != null) {
            throw new MemmapException(ErrorKind.INPUT_UNREADABLE, "Reading " + edgesPath + " failed: " + failure, failure);
        }
    }

    /** One partition's (or the whole population's) output, scratch space and writer while a build runs. */
    private static final class PartitionBuild implements AutoCloseable {
        final Partition partition;
        final AtomicOutput out;
        ScratchSpace scratch;
        SynapseIndexWriter writer;
        IndexSummary summary;

        private PartitionBuild(Partition partition, AtomicOutput out) {
            this.partition = partition;
            this.out = out;
        }

        static PartitionBuild begin(SynapseIndexRequest request, EdgePopulation pop, Partition partition, Path target) throws IOException {
            PartitionBuild b = new PartitionBuild(partition, AtomicOutput.begin(target, request.conflict()));
            try {
                if (!b.out.skipped()) {
                    Path dir = Files.createDirectories(b.out.temporary());
                    b.scratch = ScratchSpace.under(request.scratchDirectory(), dir);
                    // A partition keeps an unknown share of the rows: its writer checks Memory Map Size as they arrive,
                    // so a cap sized for one partition is not refused for the whole population.
                    b.writer = SynapseIndexWriter.create(b.scratch.directory(), request.memoryMapSizeBytes(), pop.extraColumns(),
                            partition == null ? pop.size() : 0);
                }
                return b;
            } catch (IOException | RuntimeException e) {
                b.close();
                throw e;
            }
        }

        /**
         * Sorts and writes the index and its manifest into the temporary directory, frees the scratch space and starts
         * forcing the output to disk.
         */
        void finish(EdgePopulation pop) throws IOException {
            Path dir = out.temporary();
            summary = writer.writeTo(dir.resolve(INDEX_FILE));
            writer.close();
            writer = null;
            scratch.close();
            scratch = null;
            Map<String, Object> manifest = new LinkedHashMap<>();
            manifest.put("source", Map.of("edges_file", pop.file().toAbsolutePath().normalize().toString(), "population", pop.name()));
            PartitionedOutput.describe(partition, manifest);
            IndexDirectory.writeManifest(dir, summary, manifest);
            // Committed once every partition of the read is built: meanwhile the disk takes this one.
            out.forceInBackground();
        }

        SynapseIndexResult commit(String population) {
            return summary != null && out.commit()
                    ? new SynapseIndexResult(population, out.target(), summary.elements(), summary.bounds(), false)
                    : new SynapseIndexResult(population, out.target(), -1, null, true);
        }

        @Override
        public void close() {
            try (AtomicOutput o = out; ScratchSpace s = scratch; SynapseIndexWriter w = writer) {
                // closes the writer, then the scratch space, then removes an uncommitted output
            }
        }
    }
}
