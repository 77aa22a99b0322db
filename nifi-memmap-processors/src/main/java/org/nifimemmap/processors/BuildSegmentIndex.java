package org.nifimemmap.processors;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
import org.apache.nifi.annotation.documentation.UseCase;
import org.apache.nifi.components.AllowableValue;
import org.apache.nifi.components.PropertyDescriptor;
import org.apache.nifi.components.RequiredPermission;
import org.apache.nifi.components.ValidationResult;
import org.apache.nifi.components.Validator;
import org.apache.nifi.expression.ExpressionLanguageScope;
import org.apache.nifi.flowfile.FlowFile;
import org.apache.nifi.processor.AbstractProcessor;
import org.apache.nifi.processor.DataUnit;
import org.apache.nifi.processor.ProcessContext;
import org.apache.nifi.processor.ProcessSession;
import org.apache.nifi.processor.Relationship;
import org.apache.nifi.processor.util.StandardValidators;
import org.nifimemmap.index.partition.PartitionedOutput;
import org.nifimemmap.io.AllowedDirectories;
import org.nifimemmap.io.MemmapException;
import org.nifimemmap.sonata.circuit.MorphologyFormat;
import org.nifimemmap.sonata.circuit.SegmentIndexBuilder;
import org.nifimemmap.sonata.circuit.SegmentIndexRequest;
import org.nifimemmap.sonata.circuit.SegmentIndexResult;
import org.nifimemmap.sonata.nodes.NodeSelection;

@Tags({"sonata", "morphology", "neuron", "segment", "soma", "spatial index", "r-tree", "memory-mapped", "circuit", "neuroscience"})
@CapabilityDescription("Builds a memory-mapped spatial index (packed R-tree) of every soma and every dendrite/axon segment of"
        + " the neurons of SONATA node populations, placed in space by each node's position and orientation, with the"
        + " semantics of BlueBrain's SpatialIndex (somas as spheres, segments as cylinders; gid, section_id, segment_id,"
        + " section_type). Input: a SONATA circuit config, or a nodes file plus a morphology directory. One index directory"
        + " per population; the FlowFile carries only references (index.path).")
@SeeAlso({QuerySpatialIndex.class, BuildSynapseIndex.class})
@InputRequirement(InputRequirement.Requirement.INPUT_REQUIRED)
@Restricted(restrictions = {
        @Restriction(requiredPermission = RequiredPermission.READ_FILESYSTEM,
                explanation = "Reads any circuit config, nodes file and morphology the NiFi process can read, named by a FlowFile attribute."),
        @Restriction(requiredPermission = RequiredPermission.WRITE_FILESYSTEM,
                explanation = "Writes index directories into any directory the NiFi process can write.")
})
@ReadsAttributes({
        @ReadsAttribute(attribute = "absolute.path", description = "Directory of the circuit config or nodes file (as ListFile writes it), used by the defaults."),
        @ReadsAttribute(attribute = "filename", description = "Name of the circuit config or nodes file, used by the defaults.")
})
@WritesAttributes({
        @WritesAttribute(attribute = "index.path", description = "Absolute path of the population's index file (index.nmsidx); QuerySpatialIndex reads it by default."),
        @WritesAttribute(attribute = "index.directory", description = "The population's index directory: <Output Directory>/<population>."),
        @WritesAttribute(attribute = "index.manifest", description = "Path of the directory's manifest.json (columns, bounds, source files, skipped nodes)."),
        @WritesAttribute(attribute = "index.population", description = "Name of the node population."),
        @WritesAttribute(attribute = "index.source", description = "The circuit config or nodes file."),
        @WritesAttribute(attribute = "index.nodes", description = "Number of neurons placed in the index."),
        @WritesAttribute(attribute = "index.elements", description = "Number of elements (somas plus segments)."),
        @WritesAttribute(attribute = "index.bounds", description = "Bounds of all elements: minX,minY,minZ,maxX,maxY,maxZ."),
        @WritesAttribute(attribute = "index.bounds.min", description = "Lower corner minX,minY,minZ."),
        @WritesAttribute(attribute = "index.bounds.max", description = "Upper corner maxX,maxY,maxZ."),
        @WritesAttribute(attribute = "index.skipped.count", description = "With Skip Unreadable Morphologies: nodes left out."),
        @WritesAttribute(attribute = "index.skipped.nodes", description = "With Skip Unreadable Morphologies: their ids, e.g. '2, 7-9'."),
        @WritesAttribute(attribute = "index.outcome", description = "created, replaced or ignored (an existing index was kept)."),
        @WritesAttribute(attribute = "fragment.identifier", description = "Shared by the FlowFiles of one input (one per population)."),
        @WritesAttribute(attribute = "fragment.index", description = "Position of this population among the input's populations, from 0."),
        @WritesAttribute(attribute = "fragment.count", description = "Number of populations indexed for the input."),
        @WritesAttribute(attribute = "memmap.error.type", description = "On failure: the kind of error."),
        @WritesAttribute(attribute = "memmap.error.message", description = "On failure: what was wrong and where (node id, morphology file, line).")
})
@UseCase(description = "Index the somas and segments of every biophysical population of a SONATA circuit.",
        configuration = """
                Set `Source` = `circuit config` and `Circuit Config` to the circuit_config.json path (or list configs with ListFile).
                Leave `Populations` empty for every biophysical population. Set `Output Directory`; each population's index goes to
                `<Output Directory>/<population>/index.nmsidx`. Raise `Memory Map Size` for large circuits (about 110 bytes per
                element while building; the error says how much is needed).
                """)
@UseCase(description = "Build one large circuit in parts on several nodes of a cluster.",
        configuration = """
                Give each part its own `Node IDs` range (e.g. `0-99999`, `100000-199999`) and its own `Output Directory`; the parts are
                independent indexes that QuerySpatialIndex queries one by one.
                """)
public class BuildSegmentIndex extends AbstractProcessor {
    static final AllowableValue SOURCE_CONFIG = new AllowableValue("circuit-config", "circuit config",
            "Index node populations of a SONATA circuit config; morphologies come from its morphologies_dir / alternate_morphologies.");
    static final AllowableValue SOURCE_NODES = new AllowableValue("nodes-file", "nodes file",
            "Index the populations of one SONATA nodes HDF5 file with morphologies from Morphology Directory.");
    static final PropertyDescriptor SOURCE = new PropertyDescriptor.Builder()
            .name("Source")
            .description("What the FlowFile names: a circuit config or a nodes file.")
            .required(true)
            .allowableValues(SOURCE_CONFIG, SOURCE_NODES)
            .defaultValue(SOURCE_CONFIG.getValue())
            .build();
    static final PropertyDescriptor CIRCUIT_CONFIG = new PropertyDescriptor.Builder()
            .name("Circuit Config")
            .description("Path of the SONATA circuit config (JSON). Manifest variables ($BASE_DIR ...) and relative paths are"
                    + " resolved against the config's directory.")
            .required(true)
            .defaultValue("${absolute.path}/${filename}")
            .expressionLanguageSupported(ExpressionLanguageScope.FLOWFILE_ATTRIBUTES)
            .addValidator(StandardValidators.NON_BLANK_VALIDATOR)
            .dependsOn(SOURCE, SOURCE_CONFIG)
            .build();
    static final PropertyDescriptor NODES_FILE = new PropertyDescriptor.Builder()
            .name("Nodes File")
            .description("Path of the SONATA nodes HDF5 file (x, y, z, orientation, morphology per node).")
            .required(true)
            .defaultValue("${absolute.path}/${filename}")
            .expressionLanguageSupported(ExpressionLanguageScope.FLOWFILE_ATTRIBUTES)
            .addValidator(StandardValidators.NON_BLANK_VALIDATOR)
            .dependsOn(SOURCE, SOURCE_NODES)
            .build();
    static final PropertyDescriptor MORPHOLOGY_DIRECTORY = new PropertyDescriptor.Builder()
            .name("Morphology Directory")
            .description("Directory of the morphology files named by the nodes (<name>.h5, .asc or .swc), or a morphology"
                    + " container (one HDF5 file holding every morphology by name).")
            .required(true)
            .expressionLanguageSupported(ExpressionLanguageScope.FLOWFILE_ATTRIBUTES)
            .addValidator(StandardValidators.NON_BLANK_VALIDATOR)
            .dependsOn(SOURCE, SOURCE_NODES)
            .build();
    static final PropertyDescriptor POPULATIONS = new PropertyDescriptor.Builder()
            .name("Populations")
            .description("Node populations to index, comma-separated. Empty: every biophysical population of the circuit"
                    + " config, or every population of the nodes file.")
            .required(false)
            .expressionLanguageSupported(ExpressionLanguageScope.FLOWFILE_ATTRIBUTES)
            .addValidator(Validator.VALID)
            .build();
    static final PropertyDescriptor NODE_IDS = new PropertyDescriptor.Builder()
            .name("Node IDs")
            .description("Node ids to index in each population, e.g. '0-999, 2000-2999' (ranges inclusive). Empty: all nodes.")
            .required(false)
            .expressionLanguageSupported(ExpressionLanguageScope.FLOWFILE_ATTRIBUTES)
            .addValidator((subject, input, context) -> {
                if (context.isExpressionLanguageSupported(subject) && context.isExpressionLanguagePresent(input)) {
                    return new ValidationResult.Builder().subject(subject).input(input).valid(true).build();
                }
                try {
                    NodeSelection.parse(input);
                    return new ValidationResult.Builder().subject(subject).input(input).valid(true).build();
                } catch (MemmapException e) {
                    return new ValidationResult.Builder().subject(subject).input(input).valid(false).explanation(e.getMessage()).build();
                }
            })
            .build();
    static final PropertyDescriptor MORPHOLOGY_FORMAT = new PropertyDescriptor.Builder()
            .name("Morphology Format")
            .description("Which morphology files to read. any: <name>.h5, then .asc, then .swc in the morphology directory. The"
                    + " others read one format; with a circuit config, neurolucida-asc and h5v1 read the config's"
                    + " alternate_morphologies for that format.")
            .required(true)
            .allowableValues("any", "swc", "neurolucida-asc", "h5v1")
            .defaultValue("any")
            .build();
    static final PropertyDescriptor SKIP_UNREADABLE = new PropertyDescriptor.Builder()
            .name("Skip Unreadable Morphologies")
            .description("false: a node whose morphology is missing, empty or malformed fails the population, naming node and file."
                    + " true: such nodes are left out of the index and listed in index.skipped.nodes and the manifest.")
            .required(true)
            .allowableValues("true", "false")
            .defaultValue("false")
            .build();
    static final PropertyDescriptor MEMORY_MAP_SIZE = new PropertyDescriptor.Builder()
            .name("Memory Map Size")
            .description("Cap on the scratch space mapped while building one population's index (a data size such as 2 GB)."
                    + " An element (soma or segment) needs about 110 bytes while building; a population that needs more fails"
                    + " early, with the size it needs. Scratch files live in the output directory, not on the heap.")
            .required(true)
            .defaultValue("4 GB")
            .addValidator(StandardValidators.DATA_SIZE_VALIDATOR)
            .build();

    static final Relationship REL_SUCCESS = new Relationship.Builder().name("success")
            .description("One FlowFile per indexed population (the input itself when there is only one), with index.path set.").build();
    static final Relationship REL_FAILURE = new Relationship.Builder().name("failure")
            .description("The input, or one population of it, could not be indexed; memmap.error.type and memmap.error.message say why."
                    + " Nothing partial was written.").build();

    private static final List<PropertyDescriptor> PROPERTIES = List.of(SOURCE, CIRCUIT_CONFIG, NODES_FILE, MORPHOLOGY_DIRECTORY,
            POPULATIONS, NODE_IDS, MORPHOLOGY_FORMAT, SKIP_UNREADABLE, FileProperties.OUTPUT_DIRECTORY,
            FileProperties.CREATE_DIRECTORIES, FileProperties.CONFLICT_RESOLUTION, MEMORY_MAP_SIZE, PartitionProperty.PARTITION,
            FileProperties.SCRATCH_DIRECTORY, FileProperties.ALLOWED_DIRECTORIES);
    private static final Set<Relationship> RELATIONSHIPS = Set.of(REL_SUCCESS, REL_FAILURE);

    @Override
    protected List<PropertyDescriptor> getSupportedPropertyDescriptors() {
        return PROPERTIES;
    }

    @Override
    public Set<Relationship> getRelationships() {
        return RELATIONSHIPS;
    }

    @Override
    public void onTrigger(ProcessContext context, ProcessSession session) {
        FlowFile flowFile = session.get();
        if (flowFile == null) {
            return;
        }
        SegmentIndexRequest request;
        List<String> populations;
        try {
            request = request(context, flowFile);
            List<SegmentIndexBuilder.Source> sources = SegmentIndexBuilder.sources(request);
            checkAllowed(FileProperties.allowed(context), sources);
            populations = sources.stream().map(SegmentIndexBuilder.Source::population).toList();
        } catch (RuntimeException e) {
            session.adjustCounter("Index builds failed", 1, false);
            Failures.route(session, flowFile, REL_FAILURE, getLogger(), "BuildSegmentIndex", e);
            return;
        }
        Path source = request.circuitConfig() != null ? request.circuitConfig() : request.nodesFile();
        new PopulationIndexes("BuildSegmentIndex", "Elements", REL_SUCCESS, REL_FAILURE, getLogger()).buildAndRoute(session, flowFile,
                populations,
                population -> PartitionedOutput.path(request.outputDir(), population, request.partition()), request.conflict(), source, population -> {
                    SegmentIndexResult r = SegmentIndexBuilder.build(request.withPopulations(List.of(population))).getFirst();
                    Map<String, String> extra = r.skipped() ? Map.of() : Map.of("index.nodes", Long.toString(r.nodes()),
                            "index.skipped.count", Long.toString(r.skippedNodes().count()),
                            "index.skipped.nodes", r.skippedNodes().idsText());
                    return new PopulationIndexes.Built(r.directory(), r.elements(), r.bounds(), r.skipped(), extra);
                });
    }

    private static SegmentIndexRequest request(ProcessContext context, FlowFile flowFile) {
        boolean fromConfig = SOURCE_CONFIG.getValue().equals(context.getProperty(SOURCE).getValue());
        String ids = context.getProperty(NODE_IDS).evaluateAttributeExpressions(flowFile).getValue();
        return new SegmentIndexRequest(
                fromConfig ? FileProperties.input(context, CIRCUIT_CONFIG, flowFile) : null,
                fromConfig ? null : FileProperties.input(context, NODES_FILE, flowFile),
                fromConfig ? null : FileProperties.input(context, MORPHOLOGY_DIRECTORY, flowFile),
                PropertyValues.names(context, POPULATIONS, flowFile),
                ids == null || ids.isBlank() ? NodeSelection.all() : NodeSelection.parse(ids),
                MorphologyFormat.parse(context.getProperty(MORPHOLOGY_FORMAT).getValue()),
                FileProperties.outputDirectory(context, flowFile, FileProperties.OUTPUT_DIRECTORY),
                context.getProperty(MEMORY_MAP_SIZE).asDataSize(DataUnit.B).longValue(),
                FileProperties.conflictStrategy(context),
                context.getProperty(SKIP_UNREADABLE).asBoolean(), PartitionProperty.partition(context, flowFile),
                FileProperties.scratchDirectory(context));
    }

    /** A circuit config names further files and directories; a relative path in it could climb anywhere. */
    private static void checkAllowed(AllowedDirectories allowed, List<SegmentIndexBuilder.Source> sources) {
        for (SegmentIndexBuilder.Source s : sources) {
            allowed.checkInput(s.nodesFile(), "Nodes file of population " + s.population());
            allowed.checkInput(s.morphologies(), "Morphologies of population " + s.population());
        }
    }
}
