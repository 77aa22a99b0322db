package org.nifimemmap.processors;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.nifi.annotation.behavior.InputRequirement;
import org.apache.nifi.annotation.behavior.ReadsAttribute;
import org.apache.nifi.annotation.behavior.ReadsAttributes;
import org.apache.nifi.annotation.behavior.Restricted;
import org.apache.nifi.annotation.behavior.Restriction;
import org.apache.nifi.annotation.behavior.TriggerSerially;
import org.apache.nifi.annotation.behavior.WritesAttribute;
import org.apache.nifi.annotation.behavior.WritesAttributes;
import org.apache.nifi.annotation.documentation.CapabilityDescription;
import org.apache.nifi.annotation.documentation.SeeAlso;
import org.apache.nifi.annotation.documentation.Tags;
import org.apache.nifi.components.PropertyDescriptor;
import org.apache.nifi.components.RequiredPermission;
import org.apache.nifi.flowfile.FlowFile;
import org.apache.nifi.processor.AbstractProcessor;
import org.apache.nifi.processor.FlowFileFilter;
import org.apache.nifi.processor.ProcessContext;
import org.apache.nifi.processor.ProcessSession;
import org.apache.nifi.processor.Relationship;
import org.nifimemmap.index.partition.MultiIndex;
import org.nifimemmap.index.partition.MultiIndexManifest;
import org.nifimemmap.io.ErrorKind;
import org.nifimemmap.io.MemmapException;

/**
 * The gathering step of a partitioned build: waits in its queue until every partition of a build has arrived, then
 * writes the population's multi-index manifest once. FlowFiles of incomplete builds are never taken from the queue,
 * so nothing is held in memory and a restart loses nothing.
 */
@Tags({"sonata", "spatial index", "partition", "cluster", "manifest", "neuroscience"})
@CapabilityDescription("Gathers the partitions of a partitioned index build (BuildSynapseIndex / BuildSegmentIndex FlowFiles with"
        + " fragment.identifier, fragment.index and fragment.count from PlanIndexPartitions) and, once all have arrived, checks"
        + " that every partition's index exists with a valid header and writes <population>/multi-index.json atomically:"
        + " one FlowFile to success with index.path naming it. In a cluster, give its incoming connection the load balance"
        + " strategy 'single node' so all partitions of a build meet on one node.")
@SeeAlso({PlanIndexPartitions.class, QuerySpatialIndex.class})
@TriggerSerially
@InputRequirement(InputRequirement.Requirement.INPUT_REQUIRED)
@Restricted(restrictions = @Restriction(requiredPermission = RequiredPermission.WRITE_FILESYSTEM,
        explanation = "Writes multi-index.json beside the partitions."))
@ReadsAttributes({
        @ReadsAttribute(attribute = "fragment.identifier", description = "The build (PlanIndexPartitions' index.build.id)."),
        @ReadsAttribute(attribute = "fragment.count", description = "Partitions in the build."),
        @ReadsAttribute(attribute = "fragment.index", description = "This partition's number."),
        @ReadsAttribute(attribute = "index.directory", description = "The partition's index directory, as the builders write it."),
        @ReadsAttribute(attribute = "index.population", description = "The population.")
})
@WritesAttributes({
        @WritesAttribute(attribute = "index.path", description = "The multi-index manifest, which QuerySpatialIndex takes as Index Path."),
        @WritesAttribute(attribute = "index.manifest", description = "The same manifest."),
        @WritesAttribute(attribute = "index.directory", description = "The population's directory holding the partitions."),
        @WritesAttribute(attribute = "index.elements", description = "Elements in all partitions."),
        @WritesAttribute(attribute = "index.partitions", description = "Number of partitions."),
        @WritesAttribute(attribute = "memmap.error.type", description = "On failure: what kind of error."),
        @WritesAttribute(attribute = "memmap.error.message", description = "On failure: which partition is missing or unreadable.")
})
public class WriteMultiIndexManifest extends AbstractProcessor {
    static final Relationship REL_SUCCESS = new Relationship.Builder().name("success")
            .description("One FlowFile per completed build, naming its multi-index manifest.").build();
    static final Relationship REL_ORIGINAL = new Relationship.Builder().name("original")
            .description("The partition FlowFiles of a build whose manifest was written.").build();
    static final Relationship REL_FAILURE = new Relationship.Builder().name("failure")
            .description("The partition FlowFiles of a build whose manifest could not be written (a partition missing or"
                    + " unreadable); nothing was written.").build();

    @Override
    protected List<PropertyDescriptor> getSupportedPropertyDescriptors() {
        return List.of();
    }

    @Override
    public Set<Relationship> getRelationships() {
        return Set.of(REL_SUCCESS, REL_ORIGINAL, REL_FAILURE);
    }

    @Override
    public void onTrigger(ProcessContext context, ProcessSession session) {
        // First pass takes nothing: it only learns which builds have all their partitions queued.
        Map<String, Set<Integer>> arrived = new HashMap<>();
        Map<String, Integer> expected = new HashMap<>();
        session.get(flowFile -> {
            String build = flowFile.getAttribute("fragment.identifier");
            Integer count = number(flowFile.getAttribute("fragment.count"));
            Integer index = number(flowFile.getAttribute("fragment.index"));
            if (build != null && count != null && index != null) {
                arrived.computeIfAbsent(build, b -> new TreeSet<>()).add(index);
                expected.put(build, count);
            }
            return FlowFileFilter.FlowFileFilterResult.REJECT_AND_CONTINUE;
        });
        Set<String> complete = new TreeSet<>();
        arrived.forEach((build, indexes) -> {
            int count = expected.get(build);
            if (indexes.size() == count && indexes.stream().allMatch(i -> i >= 0 && i < count)) {
                complete.add(build);
            }
        });
        // Malformed FlowFiles (no fragment attributes) are taken too, to fail them rather than leave them forever.
        List<FlowFile> taken = session.get(flowFile -> {
            String build = flowFile.getAttribute("fragment.identifier");
            boolean malformed = build == null || number(flowFile.getAttribute("fragment.count")) == null
                    || number(flowFile.getAttribute("fragment.index")) == null;
            return malformed || complete.contains(build) ? FlowFileFilter.FlowFileFilterResult.ACCEPT_AND_CONTINUE
                    : FlowFileFilter.FlowFileFilterResult.REJECT_AND_CONTINUE;
        });
        if (taken.isEmpty()) {
            context.yield();
            return;
        }
        Map<String, List<FlowFile>> builds = new LinkedHashMap<>();
        for (FlowFile flowFile : taken) {
            String build = flowFile.getAttribute("fragment.identifier");
            if (build == null || !complete.contains(build)) {
                Failures.route(session, flowFile, REL_FAILURE, getLogger(), "WriteMultiIndexManifest", new MemmapException(
                        ErrorKind.INVALID_CONFIG, "No whole-number fragment.identifier / fragment.index / fragment.count: not a"
                        + " partition of a build planned by PlanIndexPartitions"));
                continue;
            }
            builds.computeIfAbsent(build, b -> new ArrayList<>()).add(flowFile);
        }
        builds.values().forEach(partitions -> writeManifest(session, partitions));
    }

    private void writeManifest(ProcessSession session, List<FlowFile> partitions) {
        FlowFile first = partitions.getFirst();
        String population = first.getAttribute("index.population");
        int count = number(first.getAttribute("fragment.count"));
        try {
            String directory = first.getAttribute("index.directory");
            if (directory == null || population == null) {
                throw new MemmapException(ErrorKind.INVALID_CONFIG, "Partition FlowFiles need index.directory and index.population,"
                        + " as BuildSynapseIndex / BuildSegmentIndex write them");
            }
            Path populationDir = Path.of(directory).getParent();
            long started = System.nanoTime();
            Path manifest = MultiIndexManifest.write(populationDir, population, count);
            long elements;
            try (MultiIndex multi = MultiIndex.open(manifest, false)) {
                elements = multi.count();
            }
            FlowFile merged = session.create(partitions);
            Map<String, String> attributes = new LinkedHashMap<>();
            attributes.put("index.path", manifest.toString());
            attributes.put("index.manifest", manifest.toString());
            attributes.put("index.directory", populationDir.toString());
            attributes.put("index.population", population);
            attributes.put("index.elements", Long.toString(elements));
            attributes.put("index.partitions", Integer.toString(count));
            attributes.put("index.build.id", first.getAttribute("fragment.identifier"));
            merged = session.putAllAttributes(merged, attributes);
            session.getProvenanceReporter().send(merged, manifest.toUri().toString(), "Multi-index of " + count + " partitions of "
                    + population, (System.nanoTime() - started) / 1_000_000);
            session.transfer(merged, REL_SUCCESS);
            session.transfer(partitions, REL_ORIGINAL);
            session.adjustCounter("Multi-indexes written", 1, false);
        } catch (RuntimeException e) {
            for (FlowFile partition : partitions) {
                Failures.route(session, partition, REL_FAILURE, getLogger(), "WriteMultiIndexManifest", e);
            }
        }
    }

    private static Integer number(String text) {
        try {
            return text == null ? null : Integer.valueOf(text.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
