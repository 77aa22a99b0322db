package org.nifimemmap.sonata.edges;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nifimemmap.index.IndexDirectory;
import org.nifimemmap.index.IndexSummary;
import org.nifimemmap.index.SynapseIndexWriter;
import org.nifimemmap.index.partition.PartitionedOutput;
import org.nifimemmap.io.AtomicOutput;
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
        if (!Files.isDirectory(request.outputDir())) {
            throw new MemmapException(ErrorKind.OUTPUT_UNWRITABLE, "Output directory does not exist: " + request.outputDir());
        }
        List<SynapseIndexResult> results = new ArrayList<>();
        for (Map.Entry<String, Path> source : sources(request).entrySet()) {
            results.add(buildOne(request, source.getValue(), source.getKey()));
        }
        return results;
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
        Path target = PartitionedOutput.target(request.outputDir(), population, request.partition());
        try (AtomicOutput out = AtomicOutput.begin(target, request.conflict());
             EdgesFile edges = EdgesFile.open(edgesPath)) {
            if (out.skipped()) {
                return new SynapseIndexResult(population, target, -1, null, true);
            }
            EdgePopulation pop = edges.population(population, request.extraAttributes());
            Path dir = Files.createDirectories(out.temporary());
            IndexSummary summary;
            // A partition keeps an unknown share of the rows: its writer checks Memory Map Size as they arrive, so a
            // cap sized for one partition is not refused for the whole population.
            try (ScratchSpace scratch = ScratchSpace.under(request.scratchDirectory(), dir);
                 SynapseIndexWriter writer = SynapseIndexWriter.create(scratch.directory(), request.memoryMapSizeBytes(),
                         pop.extraColumns(), request.partition() == null ? pop.size() : 0)) {
                pop.readInto(writer, request.partition() == null ? null : request.partition().region());
                summary = writer.writeTo(dir.resolve(INDEX_FILE));
            }
            Map<String, Object> manifest = new LinkedHashMap<>();
            manifest.put("source", Map.of("edges_file", pop.file().toAbsolutePath().normalize().toString(), "population", pop.name()));
            PartitionedOutput.describe(request.partition(), manifest);
            IndexDirectory.writeManifest(dir, summary, manifest);
            return out.commit()
                    ? new SynapseIndexResult(population, target, summary.elements(), summary.bounds(), false)
                    : new SynapseIndexResult(population, target, -1, null, true);
        } catch (IOException e) {
            throw AtomicOutput.writeFailure(target, e);
        } catch (InternalError e) {
            throw AtomicOutput.mappedWriteFailure(target, e);
        }
    }
}
