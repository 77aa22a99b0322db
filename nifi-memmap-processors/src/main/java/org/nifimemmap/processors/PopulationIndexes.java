package org.nifimemmap.processors;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.nifi.flowfile.FlowFile;
import org.apache.nifi.logging.ComponentLog;
import org.apache.nifi.processor.ProcessSession;
import org.apache.nifi.processor.Relationship;
import org.nifimemmap.index.Bounds;
import org.nifimemmap.index.IndexDirectory;
import org.nifimemmap.index.SpatialIndex;
import org.nifimemmap.io.ConflictStrategy;
import org.nifimemmap.io.MemmapException;

/**
 * What the index builders (synapses, segments) share: one index directory per population, built one population at
 * a time so that a bad one fails alone; one FlowFile per population out (the input itself when there is one,
 * fragment.* attributes otherwise); the same index.* attributes, provenance, counters and commit cleanup.
 */
final class PopulationIndexes {
    /** One population's index as a builder reports it; {@code skipped}: an existing index was kept. */
    record Built(Path directory, long elements, Bounds bounds, boolean skipped, Map<String, String> extraAttributes) {
    }

    private record Outcome(String population, Built built, boolean replaced, RuntimeException error) {
    }

    private final String processorName;
    private final String elementNoun;
    private final Relationship success;
    private final Relationship failure;
    private final ComponentLog log;

    PopulationIndexes(String processorName, String elementNoun, Relationship success, Relationship failure, ComponentLog log) {
        this.processorName = processorName;
        this.elementNoun = elementNoun;
        this.success = success;
        this.failure = failure;
        this.log = log;
    }

    /**
     * Builds each population with {@code build}; {@code target} says where a population's index directory goes (its
     * partition's directory in a partitioned build), which is what a failed commit removes if this run created it.
     */
    void buildAndRoute(ProcessSession session, FlowFile flowFile, List<String> populations, Function<String, Path> target,
                       ConflictStrategy conflict, Path source, Function<String, Built> build) {
        buildAndRouteUncommitted(session, flowFile, populations, target, conflict, source, build).commit(session, log);
    }

    /** {@link #buildAndRoute} without the session commit: for several FlowFiles routed in one session. */
    CreatedOutputs buildAndRouteUncommitted(ProcessSession session, FlowFile flowFile, List<String> populations,
                                            Function<String, Path> target, ConflictStrategy conflict, Path source,
                                            Function<String, Built> build) {
        long started = System.nanoTime();
        CreatedOutputs outputs = CreatedOutputs.ifAbsentNow(populations.stream().map(target).toList());
        List<Outcome> outcomes = new ArrayList<>();
        for (String population : populations) {
            outcomes.add(buildOne(population, target.apply(population), conflict, build));
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        if (outcomes.size() == 1) {
            route(session, flowFile, outcomes.getFirst(), source, millis);
        } else {
            String fragmentId = UUID.randomUUID().toString();
            for (int i = 0; i < outcomes.size(); i++) {
                FlowFile child = session.putAllAttributes(session.clone(flowFile), Map.of("fragment.identifier", fragmentId,
                        "fragment.index", Integer.toString(i), "fragment.count", Integer.toString(outcomes.size())));
                route(session, child, outcomes.get(i), source, millis);
            }
            session.remove(flowFile);
        }
        return outputs;
    }

    /**
     * Routes FlowFiles whose partitions of {@code population} were built together by {@code buildAll} (one result per
     * FlowFile, in order), each with its own outcome, as {@link #buildAndRoute} would. When {@code buildAll} throws,
     * nothing is routed and the exception propagates.
     */
    void routeTogether(ProcessSession session, List<FlowFile> flowFiles, String population, List<Path> targets,
                       ConflictStrategy conflict, Path source, Supplier<List<Built>> buildAll) {
        long started = System.nanoTime();
        requirePlainName(population);
        CreatedOutputs outputs = CreatedOutputs.ifAbsentNow(targets);
        List<Boolean> existed = targets.stream().map(Files::exists).toList();
        List<Built> built = buildAll.get();
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        for (int i = 0; i < flowFiles.size(); i++) {
            Outcome outcome;
            try {
                outcome = outcome(population, built.get(i), existed.get(i), conflict);
            } catch (RuntimeException e) {
                outcome = new Outcome(population, null, false, e);
            }
            route(session, flowFiles.get(i), outcome, source, millis);
        }
        outputs.commit(session, log);
    }

    private static Outcome buildOne(String population, Path target, ConflictStrategy conflict, Function<String, Built> build) {
        try {
            requirePlainName(population);
            boolean existed = Files.exists(target);
            return outcome(population, build.apply(population), existed, conflict);
        } catch (RuntimeException e) {
            return new Outcome(population, null, false, e);
        }
    }

    private static void requirePlainName(String population) {
        FileProperties.plainName(population, "Population name (used as the index directory's name)");
    }

    /** What a build of a population came to: a kept output's count and bounds are read back; replaced if it existed. */
    private static Outcome outcome(String population, Built built, boolean existed, ConflictStrategy conflict) {
        Built b = built.skipped() ? kept(built) : built;
        return new Outcome(population, b, existed && conflict == ConflictStrategy.REPLACE && !b.skipped(), null);
    }

    /** The kept index's count and bounds, read from its header, so a kept index carries the same attributes as a new one. */
    private static Built kept(Built built) {
        try (SpatialIndex index = SpatialIndex.open(built.directory().resolve(IndexDirectory.INDEX_FILE), false)) {
            return new Built(built.directory(), index.count(), index.bounds(), true, built.extraAttributes());
        } catch (MemmapException e) {
            throw new MemmapException(e.kind(), "Kept the existing output " + built.directory()
                    + " (Conflict Resolution ignore), but it does not hold a readable index: " + e.getMessage(), e);
        }
    }

    private void route(ProcessSession session, FlowFile flowFile, Outcome outcome, Path source, long millis) {
        flowFile = session.putAttribute(flowFile, "index.population", outcome.population());
        if (outcome.error() != null) {
            session.adjustCounter("Index builds failed", 1, false);
            Failures.route(session, flowFile, failure, log, processorName, outcome.error());
            return;
        }
        Built built = outcome.built();
        flowFile = session.putAllAttributes(flowFile, attributes(built, source, outcome.replaced()));
        if (built.skipped()) {
            session.adjustCounter("Outputs kept (already existed)", 1, false);
        } else {
            session.getProvenanceReporter().send(flowFile, built.directory().toUri().toString(),
                    "Indexed " + elementNoun.toLowerCase(Locale.ROOT) + " of population " + outcome.population() + " of " + source, millis);
            session.adjustCounter("Populations indexed", 1, false);
            session.adjustCounter(elementNoun + " indexed", built.elements(), false);
        }
        session.transfer(flowFile, success);
    }

    private static Map<String, String> attributes(Built built, Path source, boolean replaced) {
        Bounds b = built.bounds();
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("index.path", built.directory().resolve(IndexDirectory.INDEX_FILE).toString());
        attributes.put("index.directory", built.directory().toString());
        attributes.put("index.manifest", built.directory().resolve(IndexDirectory.MANIFEST_FILE).toString());
        attributes.put("index.source", source.toString());
        attributes.put("index.elements", Long.toString(built.elements()));
        attributes.put("index.bounds", join(b.minX(), b.minY(), b.minZ()) + "," + join(b.maxX(), b.maxY(), b.maxZ()));
        attributes.put("index.bounds.min", join(b.minX(), b.minY(), b.minZ()));
        attributes.put("index.bounds.max", join(b.maxX(), b.maxY(), b.maxZ()));
        attributes.put("index.outcome", built.skipped() ? "ignored" : replaced ? "replaced" : "created");
        attributes.putAll(built.extraAttributes());
        return attributes;
    }

    private static String join(double x, double y, double z) {
        return String.format(Locale.ROOT, "%s,%s,%s", x, y, z);
    }
}
