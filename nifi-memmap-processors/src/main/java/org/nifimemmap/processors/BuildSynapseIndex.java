package org.nifimemmap.processors;

import java.nio.file.Path;
import java.util.ArrayList;
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
import org.apache.nifi.components.Validator;
import org.apache.nifi.expression.ExpressionLanguageScope;
import org.apache.nifi.flowfile.FlowFile;
import org.apache.nifi.processor.AbstractProcessor;
import org.apache.nifi.processor.DataUnit;
import org.apache.nifi.processor.ProcessContext;
import org.apache.nifi.processor.ProcessSession;
import org.apache.nifi.processor.Relationship;
import org.apache.nifi.processor.util.StandardValidators;
import org.nifimemmap.index.partition.Partition;
import org.nifimemmap.index.partition.PartitionedOutput;
import org.nifimemmap.io.AllowedDirectories;
import org.nifimemmap.io.ErrorKind;
import org.nifimemmap.io.MemmapException;
import org.nifimemmap.sonata.config.CircuitConfig;
import org.nifimemmap.sonata.config.PopulationConfig;
import org.nifimemmap.sonata.edges.EdgesFile;
import org.nifimemmap.sonata.edges.SynapseIndexBuilder;
import org.nifimemmap.sonata.edges.SynapseIndexRequest;
import org.nifimemmap.sonata.edges.SynapseIndexResult;

@Tags({"sonata", "synapse", "edges", "circuit", "spatial index", "r-tree", "hdf5", "memory-mapped", "neuroscience"})
@CapabilityDescription("Builds a memory-mapped spatial index (packed R-tree) of the synapses of SONATA edge populations,"
        + " one index directory per population, from an edges HDF5 file or from every chemical edge population of a"
        + " SONATA circuit config. Each synapse is the point afferent_center_x|y|z with its edge id, pre_gid and post_gid"
        + " (and optional extra attributes). The FlowFile carries only references: the index path is written to"
        + " 'index.path'; with several populations, one FlowFile per population is emitted.")
@SeeAlso(QuerySpatialIndex.class)
@InputRequirement(InputRequirement.Requirement.INPUT_REQUIRED)
@Restricted(restrictions = {
        @Restriction(requiredPermission = RequiredPermission.READ_FILESYSTEM,
                explanation = "Reads any edges file or circuit config the NiFi process can read, named by a FlowFile attribute."),
        @Restriction(requiredPermission = RequiredPermission.WRITE_FILESYSTEM,
                explanation = "Writes index directories into any directory the NiFi process can write.")
})
@ReadsAttributes({
        @ReadsAttribute(attribute = "absolute.path", description = "Directory of the edges file or circuit config (as ListFile writes it), used by the defaults."),
        @ReadsAttribute(attribute = "filename", description = "Name of the edges file or circuit config, used by the defaults.")
})
@WritesAttributes({
        @WritesAttribute(attribute = "index.path", description = "Absolute path of the population's index file (index.nmsidx); QuerySpatialIndex reads it by default."),
        @WritesAttribute(attribute = "index.directory", description = "The population's index directory: <Output Directory>/<population>."),
        @WritesAttribute(attribute = "index.manifest", description = "Path of the directory's manifest.json (columns, bounds, source)."),
        @WritesAttribute(attribute = "index.population", description = "Name of the edge population."),
        @WritesAttribute(attribute = "index.source", description = "The edges file (or circuit config) the population was read from."),
        @WritesAttribute(attribute = "index.elements", description = "Number of synapses in the index."),
        @WritesAttribute(attribute = "index.bounds", description = "Bounds of all synapses: minX,minY,minZ,maxX,maxY,maxZ."),
        @WritesAttribute(attribute = "index.bounds.min", description = "Lower corner minX,minY,minZ, in the x,y,z form QuerySpatialIndex takes."),
        @WritesAttribute(attribute = "index.bounds.max", description = "Upper corner maxX,maxY,maxZ."),
        @WritesAttribute(attribute = "index.outcome", description = "created, replaced or ignored (an existing index was kept)."),
        @WritesAttribute(attribute = "fragment.identifier", description = "Shared by the FlowFiles of one input (one per population), as split processors write it."),
        @WritesAttribute(attribute = "fragment.index", description = "Position of this population among the input's populations, from 0."),
        @WritesAttribute(attribute = "fragment.count", description = "Number of populations indexed for the input."),
        @WritesAttribute(attribute = "memmap.error.type", description = "On failure: input-not-found, input-unreadable, invalid-input, invalid-config, output-exists, output-unwritable."),
        @WritesAttribute(attribute = "memmap.error.message", description = "On failure: what was wrong and where (file, population, dataset, edge row).")
})
@UseCase(description = "Index the synapses of SONATA edges files as they arrive, for fast spatial queries.",
        configuration = """
                Upstream, ListFile on the circuits directory with a File Filter such as `edges.*\\.h5`.
                Keep `Source` = `edges file` and `Edges File` = `${absolute.path}/${filename}`; leave `Population` empty to index every
                population in the file (one FlowFile per population comes out of `success`).
                Set `Output Directory`; each population's index goes to `<Output Directory>/<population>/index.nmsidx`.
                Raise `Memory Map Size` for large populations (about 88 bytes per synapse; the error says how much is needed).
                """)
@UseCase(description = "Index every chemical synapse population of a SONATA circuit.",
        configuration = """
                Set `Source` = `circuit config` and `Circuit Config` to the circuit_config.json path (or list the configs with ListFile).
                Manifest variables such as `$BASE_DIR` and relative paths are resolved as libsonata does. Every edge population of type
                `chemical` (the default type) is indexed; name populations in `Population` to choose others.
                """)
public class BuildSynapseIndex extends AbstractProcessor {
    static final AllowableValue SOURCE_EDGES = new AllowableValue("edges-file", "edges file",
            "Index the populations of one SONATA edges HDF5 file.");
    static final AllowableValue SOURCE_CONFIG = new AllowableValue("circuit-config", "circuit config",
            "Index the chemical edge populations of a SONATA circuit config (circuit_config.json).");
    static final PropertyDescriptor SOURCE = new PropertyDescriptor.Builder()
            .name("Source")
            .description("What the FlowFile names: an edges file or a circuit config.")
            .required(true)
            .allowableValues(SOURCE_EDGES, SOURCE_CONFIG)
            .defaultValue(SOURCE_EDGES.getValue())
            .build();
    static final PropertyDescriptor EDGES_FILE = new PropertyDescriptor.Builder()
            .name("Edges File")
            .description("Path of the SONATA edges HDF5 file. It is only read, never modified.")
            .required(true)
            .defaultValue("${absolute.path}/${filename}")
            .expressionLanguageSupported(ExpressionLanguageScope.FLOWFILE_ATTRIBUTES)
            .addValidator(StandardValidators.NON_BLANK_VALIDATOR)
            .dependsOn(SOURCE, SOURCE_EDGES)
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
    static final PropertyDescriptor POPULATION = new PropertyDescriptor.Builder()
            .name("Population")
            .description("Edge populations to index, comma-separated. Empty: every population of the edges file, or every"
                    + " chemical edge population of the circuit config.")
            .required(false)
            .expressionLanguageSupported(ExpressionLanguageScope.FLOWFILE_ATTRIBUTES)
            .addValidator(Validator.VALID)
            .build();
    static final PropertyDescriptor EXTRA_ATTRIBUTES = new PropertyDescriptor.Builder()
            .name("Extra Attributes")
            .description("Numeric edge attributes of group 0 to store in every synapse record beside x, y, z, edge_id, pre_gid"
                    + " and post_gid, comma-separated (e.g. afferent_section_id,syn_type_id). They keep their HDF5 type.")
            .required(false)
            .expressionLanguageSupported(ExpressionLanguageScope.FLOWFILE_ATTRIBUTES)
            .addValidator(Validator.VALID)
            .build();
    static final PropertyDescriptor MEMORY_MAP_SIZE = new PropertyDescriptor.Builder()
            .name("Memory Map Size")
            .description("Cap on the scratch space mapped while building one population's index (a data size such as 512 MB"
                    + " or 4 GB). A synapse needs about 88 bytes plus twice its extra attributes; a population that needs more fails"
                    + " before anything is read, with the size it needs. Scratch files live in the output directory, not on the heap.")
            .required(true)
            .defaultValue("2 GB")
            .addValidator(StandardValidators.DATA_SIZE_VALIDATOR)
            .build();

    static final PropertyDescriptor PARTITIONS_PER_READ = new PropertyDescriptor.Builder()
            .name("Partitions per Read")
            .description("With Partition set: up to this many queued partitions of one build (same input, population, output and"
                    + " settings, different partitions) are built together in one read of the edges file, each still appearing"
                    + " atomically on its own and each FlowFile routed on its own. A node that holds several partitions then reads"
                    + " the edges file once, not once per partition. 1: one partition per read.")
            .required(true)
            .defaultValue("8")
            .addValidator(StandardValidators.createLongValidator(1, 256, true))
            .build();

    static final Relationship REL_SUCCESS = new Relationship.Builder().name("success")
            .description("One FlowFile per indexed population (the input itself when there is only one), with index.path set.").build();
    static final Relationship REL_FAILURE = new Relationship.Builder().name("failure")
            .description("The input, or one population of it, could not be indexed; memmap.error.type and memmap.error.message say why."
                    + " Nothing partial was written.").build();

    private static final List<PropertyDescriptor> PROPERTIES = List.of(SOURCE, EDGES_FILE, CIRCUIT_CONFIG, POPULATION,
            EXTRA_ATTRIBUTES, FileProperties.OUTPUT_DIRECTORY, FileProperties.CREATE_DIRECTORIES, FileProperties.CONFLICT_RESOLUTION, MEMORY_MAP_SIZE,
            PartitionProperty.PARTITION, PARTITIONS_PER_READ, FileProperties.SCRATCH_DIRECTORY, FileProperties.ALLOWED_DIRECTORIES);
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
        SynapseIndexRequest request;
        List<String> populations;
        try {
            request = request(context, flowFile);
            populations = request.populations().isEmpty() ? populationsOf(request) : request.populations();
        } catch (RuntimeException e) {
            session.adjustCounter("Index builds failed", 1, false);
            Failures.route(session, flowFile, REL_FAILURE, getLogger(), "BuildSynapseIndex", e);
            return;
        }
        int perRead = context.getProperty(PARTITIONS_PER_READ).asInteger();
        if (request.partition() != null && populations.size() == 1 && perRead > 1) {
            SamePartitionedBuild sameBuild = new SamePartitionedBuild(request, perRead - 1, other -> request(context, other));
            List<FlowFile> more = session.get(sameBuild);
            if (!more.isEmpty()) {
                buildTogether(session, flowFile, request, populations.getFirst(), more, sameBuild);
                return;
            }
        }
        buildAlone(session, flowFile, request, populations).commit(session, getLogger());
    }

    /**
     * Builds the partitions of several FlowFiles in one read; when that fails, builds each on its own, so each
     * FlowFile gets its own outcome and error (nothing of the joint build was committed).
     */
    private void buildTogether(ProcessSession session, FlowFile first, SynapseIndexRequest request, String population,
                               List<FlowFile> more, SamePartitionedBuild sameBuild) {
        List<FlowFile> flowFiles = new ArrayList<>(List.of(first));
        flowFiles.addAll(more);
        List<SynapseIndexRequest> requests = new ArrayList<>(List.of(request));
        for (FlowFile f : more) {
            requests.add(sameBuild.requestOf(f));
        }
        List<Partition> partitions = requests.stream().map(SynapseIndexRequest::partition).toList();
        Path source = request.edgesFile() != null ? request.edgesFile() : request.circuitConfig();
        SynapseIndexRequest whole = new SynapseIndexRequest(request.edgesFile(), request.circuitConfig(), List.of(population),
                request.extraAttributes(), request.outputDir(), request.memoryMapSizeBytes(), request.conflict(), null,
                request.scratchDirectory());
        try {
            indexes().routeTogether(session, flowFiles, population,
                    partitions.stream().map(p -> PartitionedOutput.path(request.outputDir(), population, p)).toList(), request.conflict(),
                    source, () -> SynapseIndexBuilder.buildPartitions(whole, partitions).stream()
                            .map(r -> new PopulationIndexes.Built(r.directory(), r.elements(), r.bounds(), r.skipped(), Map.of())).toList());
            session.adjustCounter("Partitions built together", flowFiles.size(), false);
        } catch (RuntimeException e) {
            getLogger().warn("Building partitions {} together failed ({}); building each on its own", partitions, e.getMessage());
            CreatedOutputs created = CreatedOutputs.of(List.of());
            for (int i = 0; i < flowFiles.size(); i++) {
                created = created.and(buildAlone(session, flowFiles.get(i), requests.get(i), List.of(population)));
            }
            created.commit(session, getLogger());
        }
    }

    private PopulationIndexes indexes() {
        return new PopulationIndexes("BuildSynapseIndex", "Synapses", REL_SUCCESS, REL_FAILURE, getLogger());
    }

    /** Builds and routes one FlowFile's populations; the caller commits the session. */
    private CreatedOutputs buildAlone(ProcessSession session, FlowFile flowFile, SynapseIndexRequest request, List<String> populations) {
        Path source = request.edgesFile() != null ? request.edgesFile() : request.circuitConfig();
        return indexes().buildAndRouteUncommitted(session, flowFile,
                populations,
                population -> PartitionedOutput.path(request.outputDir(), population, request.partition()), request.conflict(), source, population -> {
                    SynapseIndexResult r = SynapseIndexBuilder.build(new SynapseIndexRequest(request.edgesFile(), request.circuitConfig(),
                            List.of(population), request.extraAttributes(), request.outputDir(), request.memoryMapSizeBytes(),
                            request.conflict(), request.partition(), request.scratchDirectory())).getFirst();
                    return new PopulationIndexes.Built(r.directory(), r.elements(), r.bounds(), r.skipped(), Map.of());
                });
    }

    private static SynapseIndexRequest request(ProcessContext context, FlowFile flowFile) {
        boolean fromConfig = SOURCE_CONFIG.getValue().equals(context.getProperty(SOURCE).getValue());
        Path source = FileProperties.input(context, fromConfig ? CIRCUIT_CONFIG : EDGES_FILE, flowFile);
        AllowedDirectories allowed = FileProperties.allowed(context);
        if (fromConfig && allowed.restricted()) {
            // The config names further files; a relative path in it could climb anywhere.
            for (PopulationConfig population : CircuitConfig.load(source).edgePopulations()) {
                allowed.checkInput(population.file(), "Edges file of population " + population.name() + " in " + source);
            }
        }
        return new SynapseIndexRequest(fromConfig ? null : source, fromConfig ? source : null,
                PropertyValues.names(context, POPULATION, flowFile),
                PropertyValues.names(context, EXTRA_ATTRIBUTES, flowFile),
                FileProperties.outputDirectory(context, flowFile, FileProperties.OUTPUT_DIRECTORY),
                context.getProperty(MEMORY_MAP_SIZE).asDataSize(DataUnit.B).longValue(),
                FileProperties.conflictStrategy(context), PartitionProperty.partition(context, flowFile),
                FileProperties.scratchDirectory(context));
    }

    /** Every population of the edges file, or the chemical edge populations of the circuit config. */
    private static List<String> populationsOf(SynapseIndexRequest request) {
        if (request.edgesFile() != null) {
            try (EdgesFile edges = EdgesFile.open(request.edgesFile())) {
                List<String> names = edges.populations();
                if (names.isEmpty()) {
                    throw new MemmapException(ErrorKind.INVALID_INPUT, "Edges file " + request.edgesFile() + " has no population under /edges");
                }
                return names;
            }
        }
        CircuitConfig config = CircuitConfig.load(request.circuitConfig());
        List<String> chemical = config.edgePopulations().stream()
                .filter(p -> "chemical".equals(p.type())).map(PopulationConfig::name).toList();
        if (chemical.isEmpty()) {
            throw new MemmapException(ErrorKind.INVALID_INPUT, "Circuit config " + request.circuitConfig()
                    + " has no chemical edge population to index; it has " + config.edgePopulations().stream()
                    .map(p -> p.name() + " (" + p.type() + ")").toList() + ". Name populations in 'Population' to index others.");
        }
        return chemical;
    }
}
