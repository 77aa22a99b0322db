package org.nifimemmap.processors;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.nifi.annotation.behavior.InputRequirement;
import org.apache.nifi.annotation.behavior.ReadsAttribute;
import org.apache.nifi.annotation.behavior.ReadsAttributes;
import org.apache.nifi.annotation.behavior.Restricted;
import org.apache.nifi.annotation.behavior.Restriction;
import org.apache.nifi.annotation.behavior.WritesAttribute;
import org.apache.nifi.annotation.behavior.WritesAttributes;
import org.apache.nifi.annotation.documentation.CapabilityDescription;
import org.apache.nifi.annotation.documentation.SeeAlso;
import org.apache.nifi.annotation.documentation.Tags;
import org.apache.nifi.components.AllowableValue;
import org.apache.nifi.components.PropertyDescriptor;
import org.apache.nifi.components.RequiredPermission;
import org.apache.nifi.components.Validator;
import org.apache.nifi.expression.ExpressionLanguageScope;
import org.apache.nifi.flowfile.FlowFile;
import org.apache.nifi.processor.AbstractProcessor;
import org.apache.nifi.processor.ProcessContext;
import org.apache.nifi.processor.ProcessSession;
import org.apache.nifi.processor.Relationship;
import org.apache.nifi.processor.util.StandardValidators;
import org.nifimemmap.index.partition.Partition;
import org.nifimemmap.index.partition.Region;
import org.nifimemmap.sonata.PartitionPlans;

/**
 * The planning step of a partitioned index build: reads the cheap positions of one population and emits one FlowFile
 * per partition for the builders, which different cluster nodes can build at once.
 */
@Tags({"sonata", "spatial index", "partition", "cluster", "neuroscience"})
@CapabilityDescription("Plans a partitioned index build of one SONATA population: splits space into Partitions regions holding"
        + " about the same number of synapses (by afferent centre) or cells (by node position; the builders then keep each"
        + " soma and segment by its own position), and emits one FlowFile per"
        + " partition with index.partition.spec for BuildSynapseIndex / BuildSegmentIndex (property Partition) and NiFi's"
        + " fragment.* attributes, so WriteMultiIndexManifest can gather the partitions of a build. Feed it from a primary-node-only"
        + " source (ListFile) so each build is planned once.")
@SeeAlso({BuildSynapseIndex.class, BuildSegmentIndex.class, WriteMultiIndexManifest.class})
@InputRequirement(InputRequirement.Requirement.INPUT_REQUIRED)
@Restricted(restrictions = @Restriction(requiredPermission = RequiredPermission.READ_FILESYSTEM,
        explanation = "Reads the edges file, nodes file or circuit config the FlowFile names."))
@ReadsAttributes({
        @ReadsAttribute(attribute = "absolute.path", description = "Directory of the input file, as ListFile writes it (default Input File)."),
        @ReadsAttribute(attribute = "filename", description = "Name of the input file (default Input File).")
})
@WritesAttributes({
        @WritesAttribute(attribute = "index.partition", description = "This partition's number, from 0."),
        @WritesAttribute(attribute = "index.partitions", description = "Number of partitions of the build."),
        @WritesAttribute(attribute = "index.partition.region", description = "The half-open region minX,minY,minZ,maxX,maxY,maxZ (-inf/inf)."),
        @WritesAttribute(attribute = "index.partition.spec", description = "'i/n region': the value of the builders' Partition property."),
        @WritesAttribute(attribute = "index.population", description = "The population partitioned."),
        @WritesAttribute(attribute = "index.build.id", description = "Identifies the build; equal to fragment.identifier."),
        @WritesAttribute(attribute = "fragment.identifier", description = "Shared by the partitions of one build."),
        @WritesAttribute(attribute = "fragment.index", description = "The partition's number, from 0."),
        @WritesAttribute(attribute = "fragment.count", description = "Number of partitions."),
        @WritesAttribute(attribute = "memmap.error.type", description = "On failure: what kind of error."),
        @WritesAttribute(attribute = "memmap.error.message", description = "On failure: what was wrong and where.")
})
public class PlanIndexPartitions extends AbstractProcessor {
    static final AllowableValue SYNAPSES = new AllowableValue("synapses", "synapses",
            "Partition the synapses of an edge population by afferent centre (for BuildSynapseIndex).");
    static final AllowableValue CELLS = new AllowableValue("cells", "cells (segments)",
            "Partition the segments of a node population, planned from the node positions (for BuildSegmentIndex).");

    static final PropertyDescriptor ELEMENTS = new PropertyDescriptor.Builder()
            .name("Elements")
            .description("What the build indexes.")
            .required(true)
            .allowableValues(SYNAPSES, CELLS)
            .defaultValue(SYNAPSES.getValue())
            .build();
    static final PropertyDescriptor INPUT_FILE = new PropertyDescriptor.Builder()
            .name("Input File")
            .description("Edges file (synapses), nodes file (cells) or circuit config (.json) to plan.")
            .required(true)
            .defaultValue("${absolute.path}/${filename}")
            .expressionLanguageSupported(ExpressionLanguageScope.FLOWFILE_ATTRIBUTES)
            .addValidator(StandardValidators.NON_BLANK_VALIDATOR)
            .build();
    static final PropertyDescriptor POPULATION = new PropertyDescriptor.Builder()
            .name("Population")
            .description("The population to partition. Empty: the input's only population (a config's only chemical edge or"
                    + " biophysical node population).")
            .required(false)
            .expressionLanguageSupported(ExpressionLanguageScope.FLOWFILE_ATTRIBUTES)
            .addValidator(Validator.VALID)
            .build();
    static final PropertyDescriptor PARTITIONS = new PropertyDescriptor.Builder()
            .name("Partitions")
            .description("Number of partitions: a few per node that builds, each a normal index file.")
            .required(true)
            .defaultValue("4")
            .expressionLanguageSupported(ExpressionLanguageScope.FLOWFILE_ATTRIBUTES)
            .addValidator(StandardValidators.createLongValidator(1, 4096, true))
            .build();

    static final Relationship REL_SUCCESS = new Relationship.Builder().name("success")
            .description("One FlowFile per partition (clones of the input, content kept).").build();
    static final Relationship REL_FAILURE = new Relationship.Builder().name("failure")
            .description("The input could not be planned; memmap.error.type and memmap.error.message say why.").build();

    private static final List<PropertyDescriptor> PROPERTIES = List.of(ELEMENTS, INPUT_FILE, POPULATION, PARTITIONS,
            FileProperties.ALLOWED_DIRECTORIES);

    @Override
    protected List<PropertyDescriptor> getSupportedPropertyDescriptors() {
        return PROPERTIES;
    }

    @Override
    public Set<Relationship> getRelationships() {
        return Set.of(REL_SUCCESS, REL_FAILURE);
    }

    @Override
    public void onTrigger(ProcessContext context, ProcessSession session) {
        FlowFile flowFile = session.get();
        if (flowFile == null) {
            return;
        }
        PartitionPlans.Plan plan;
        try {
            Path input = FileProperties.input(context, INPUT_FILE, flowFile);
            int partitions = Integer.parseInt(context.getProperty(PARTITIONS).evaluateAttributeExpressions(flowFile).getValue().trim());
            PartitionPlans.Kind kind = SYNAPSES.getValue().equals(context.getProperty(ELEMENTS).getValue())
                    ? PartitionPlans.Kind.SYNAPSES : PartitionPlans.Kind.CELLS;
            plan = PartitionPlans.plan(kind, input, PropertyValues.text(context, POPULATION, flowFile), partitions);
        } catch (RuntimeException e) {
            Failures.route(session, flowFile, REL_FAILURE, getLogger(), "PlanIndexPartitions", e);
            return;
        }
        String build = UUID.randomUUID().toString();
        int count = plan.regions().size();
        for (int i = 0; i < count; i++) {
            Region region = plan.regions().get(i);
            Map<String, String> attributes = new LinkedHashMap<>();
            attributes.put("index.partition", Integer.toString(i));
            attributes.put("index.partitions", Integer.toString(count));
            attributes.put("index.partition.region", region.toString());
            attributes.put("index.partition.spec", new Partition(i, count, region).toString());
            attributes.put("index.population", plan.population());
            attributes.put("index.build.id", build);
            attributes.put("fragment.identifier", build);
            attributes.put("fragment.index", Integer.toString(i));
            attributes.put("fragment.count", Integer.toString(count));
            session.transfer(session.putAllAttributes(session.clone(flowFile), attributes), REL_SUCCESS);
        }
        session.adjustCounter("Partitioned builds planned", 1, false);
        session.remove(flowFile);
    }
}
