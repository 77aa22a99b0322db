package org.nifimemmap.processors;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.concurrent.TimeUnit;
import org.apache.nifi.annotation.behavior.InputRequirement;
import org.apache.nifi.annotation.behavior.ReadsAttribute;
import org.apache.nifi.annotation.behavior.Restricted;
import org.apache.nifi.annotation.behavior.Restriction;
import org.apache.nifi.annotation.behavior.WritesAttribute;
import org.apache.nifi.annotation.behavior.WritesAttributes;
import org.apache.nifi.annotation.documentation.CapabilityDescription;
import org.apache.nifi.annotation.documentation.SeeAlso;
import org.apache.nifi.annotation.documentation.Tags;
import org.apache.nifi.annotation.documentation.UseCase;
import org.apache.nifi.annotation.lifecycle.OnScheduled;
import org.apache.nifi.annotation.lifecycle.OnStopped;
import org.apache.nifi.components.AllowableValue;
import org.apache.nifi.components.PropertyDescriptor;
import org.apache.nifi.components.RequiredPermission;
import org.apache.nifi.components.ValidationContext;
import org.apache.nifi.components.ValidationResult;
import org.apache.nifi.components.Validator;
import org.apache.nifi.expression.ExpressionLanguageScope;
import org.apache.nifi.flowfile.FlowFile;
import org.apache.nifi.processor.AbstractProcessor;
import org.apache.nifi.processor.ProcessContext;
import org.apache.nifi.processor.ProcessSession;
import org.apache.nifi.processor.Relationship;
import org.apache.nifi.processor.util.StandardValidators;
import org.nifimemmap.index.Accuracy;
import org.nifimemmap.index.MatchWriter;
import org.nifimemmap.index.ResultsFile;
import org.nifimemmap.index.Query;
import org.nifimemmap.index.partition.MultiIndex;
import org.nifimemmap.io.ErrorKind;
import org.nifimemmap.io.MemmapException;
import org.nifimemmap.sonata.edges.SynapseIndexBuilder;

@Tags({"spatial index", "query", "box", "sphere", "synapse", "segment", "sonata", "r-tree", "memory-mapped", "neuroscience"})
@CapabilityDescription("Queries a memory-mapped spatial index (as BuildSynapseIndex writes it) with a box or a sphere: the"
        + " matching elements as CSV or JSON lines, their count, or synapse counts per post_gid. Small results replace the"
        + " FlowFile content; results larger than a threshold go to a file in a results directory, named in an attribute."
        + " Opened indexes stay mapped between FlowFiles.")
@SeeAlso(BuildSynapseIndex.class)
@InputRequirement(InputRequirement.Requirement.INPUT_REQUIRED)
@Restricted(restrictions = {
        @Restriction(requiredPermission = RequiredPermission.READ_FILESYSTEM,
                explanation = "Reads any index file the NiFi process can read, named by a FlowFile attribute."),
        @Restriction(requiredPermission = RequiredPermission.WRITE_FILESYSTEM,
                explanation = "Writes large results as files into any directory the NiFi process can write.")
})
@ReadsAttribute(attribute = "index.path", description = "Path of the index file (or its directory), as BuildSynapseIndex writes it; used by the default Index Path.")
@WritesAttributes({
        @WritesAttribute(attribute = "query.count", description = "Number of elements that meet the query."),
        @WritesAttribute(attribute = "query.groups", description = "With Result 'count by post_gid': number of distinct post_gid values among them."),
        @WritesAttribute(attribute = "query.result", description = "elements, count or count_by_post_gid."),
        @WritesAttribute(attribute = "query.result.location", description = "content (the FlowFile content holds the result), file (query.result.path does) or none (Result 'count')."),
        @WritesAttribute(attribute = "query.result.path", description = "Path of the results file, when the result went to a file."),
        @WritesAttribute(attribute = "query.result.outcome", description = "For a results file: created, replaced, or ignored (it existed and Conflict Resolution is ignore)."),
        @WritesAttribute(attribute = "query.index.path", description = "The index file that was queried."),
        @WritesAttribute(attribute = "mime.type", description = "text/csv or application/x-ndjson, when the result is in the content."),
        @WritesAttribute(attribute = "memmap.error.type", description = "On failure: input-not-found, input-unreadable, invalid-input, invalid-config, output-exists, output-unwritable."),
        @WritesAttribute(attribute = "memmap.error.message", description = "On failure: what was wrong and where.")
})
@UseCase(description = "Count the synapses each cell receives inside a region of a circuit.",
        configuration = """
                Connect BuildSynapseIndex's `success` here (Index Path `${index.path}`). Set `Shape` = `box` with `Box Corner` and
                `Box Opposite Corner` as x,y,z in the circuit's units (micrometres), or `Shape` = `sphere` with `Sphere Center` and
                `Sphere Radius`. Set `Result` = `count by post_gid`: the content becomes post_gid,count lines.
                """)
@UseCase(description = "Export the synapses inside a sphere for analysis in Python.",
        configuration = """
                Set `Shape` = `sphere`, `Result` = `elements`, `Fields` = `edge_id,pre_gid,post_gid,x,y,z`, `Result Format` = `CSV`.
                Set `Results Directory` so that results over `Content Element Limit` elements are written there as files
                (path in `query.result.path`) instead of into NiFi's content repository.
                """)
public class QuerySpatialIndex extends AbstractProcessor {
    static final AllowableValue BOX = new AllowableValue("box", "box", "An axis-aligned box given by two opposite corners.");
    static final AllowableValue SPHERE = new AllowableValue("sphere", "sphere", "A ball given by its center and radius.");
    static final AllowableValue BEST_EFFORT = new AllowableValue("best_effort", "best effort",
            "Exact tests for points and spheres; a segment meets a box when its bounding box and the capsule around its axis both do.");
    static final AllowableValue BOUNDING_BOX = new AllowableValue("bounding_box", "bounding box",
            "An element meets the shape when its exact bounding box does (faster for segments, may include near misses).");
    static final AllowableValue ELEMENTS = new AllowableValue("elements", "elements", "One line per matching element, with the chosen Fields.");
    static final AllowableValue COUNT = new AllowableValue("count", "count", "Only the number of matching elements, in query.count; the content is left as it is.");
    static final AllowableValue COUNT_BY_POST_GID = new AllowableValue("count_by_post_gid", "count by post_gid",
            "Matching synapses counted per post_gid (target cell), one line per post_gid in increasing order. Synapse indexes only.");
    static final AllowableValue CSV = new AllowableValue("csv", "CSV", "A header line with the column names, then comma-separated values.");
    static final AllowableValue JSON_LINES = new AllowableValue("json-lines", "JSON lines", "One JSON object per line (pandas.read_json(lines=True)).");

    static final PropertyDescriptor INDEX_PATH = new PropertyDescriptor.Builder()
            .name("Index Path")
            .description("Path of the index file (index.nmsidx), or of the index directory holding it; or a multi-index"
                    + " (multi-index.json of a partitioned build, or a directory of several population indexes), answered as one.")
            .required(true)
            .defaultValue("${index.path}")
            .expressionLanguageSupported(ExpressionLanguageScope.FLOWFILE_ATTRIBUTES)
            .addValidator(StandardValidators.NON_BLANK_VALIDATOR)
            .build();
    static final PropertyDescriptor SHAPE = new PropertyDescriptor.Builder()
            .name("Shape")
            .description("The region to query.")
            .required(true)
            .allowableValues(BOX, SPHERE)
            .defaultValue(BOX.getValue())
            .build();
    static final PropertyDescriptor BOX_CORNER = new PropertyDescriptor.Builder()
            .name("Box Corner")
            .description("One corner of the box, x,y,z.")
            .required(false)
            .expressionLanguageSupported(ExpressionLanguageScope.FLOWFILE_ATTRIBUTES)
            .addValidator(Validators.POINT)
            .dependsOn(SHAPE, BOX)
            .build();
    static final PropertyDescriptor BOX_OPPOSITE_CORNER = new PropertyDescriptor.Builder()
            .name("Box Opposite Corner")
            .description("The opposite corner of the box, x,y,z (any two opposite corners will do).")
            .required(false)
            .expressionLanguageSupported(ExpressionLanguageScope.FLOWFILE_ATTRIBUTES)
            .addValidator(Validators.POINT)
            .dependsOn(SHAPE, BOX)
            .build();
    static final PropertyDescriptor SPHERE_CENTER = new PropertyDescriptor.Builder()
            .name("Sphere Center")
            .description("Center of the sphere, x,y,z.")
            .required(false)
            .expressionLanguageSupported(ExpressionLanguageScope.FLOWFILE_ATTRIBUTES)
            .addValidator(Validators.POINT)
            .dependsOn(SHAPE, SPHERE)
            .build();
    static final PropertyDescriptor SPHERE_RADIUS = new PropertyDescriptor.Builder()
            .name("Sphere Radius")
            .description("Radius of the sphere, in the index's units.")
            .required(false)
            .expressionLanguageSupported(ExpressionLanguageScope.FLOWFILE_ATTRIBUTES)
            .addValidator(Validators.POSITIVE_DECIMAL)
            .dependsOn(SHAPE, SPHERE)
            .build();
    static final PropertyDescriptor ACCURACY = new PropertyDescriptor.Builder()
            .name("Accuracy")
            .description("How exactly an element must meet the shape. Synapses (points) are tested exactly either way.")
            .required(true)
            .allowableValues(BEST_EFFORT, BOUNDING_BOX)
            .defaultValue(BEST_EFFORT.getValue())
            .build();
    static final PropertyDescriptor RESULT = new PropertyDescriptor.Builder()
            .name("Result")
            .description("What to return.")
            .required(true)
            .allowableValues(ELEMENTS, COUNT, COUNT_BY_POST_GID)
            .defaultValue(ELEMENTS.getValue())
            .build();
    static final PropertyDescriptor FIELDS = new PropertyDescriptor.Builder()
            .name("Fields")
            .description("Columns to return, comma-separated, e.g. edge_id,pre_gid,post_gid. Empty: every column of the index"
                    + " (synapses: x,y,z,edge_id,pre_gid,post_gid and any extra attributes).")
            .required(false)
            .expressionLanguageSupported(ExpressionLanguageScope.FLOWFILE_ATTRIBUTES)
            .addValidator(Validator.VALID)
            .dependsOn(RESULT, ELEMENTS)
            .build();
    static final PropertyDescriptor RESULT_FORMAT = new PropertyDescriptor.Builder()
            .name("Result Format")
            .description("How elements or counts are written.")
            .required(true)
            .allowableValues(CSV, JSON_LINES)
            .defaultValue(CSV.getValue())
            .dependsOn(RESULT, ELEMENTS, COUNT_BY_POST_GID)
            .build();
    static final PropertyDescriptor RESULTS_DIRECTORY = new PropertyDescriptor.Builder()
            .name("Results Directory")
            .description("Directory for results larger than Content Element Limit (created when missing if Create Missing Directories"
                    + " is true), written as files built in a hidden"
                    + " temporary sibling and renamed into place. Empty: every result goes into the FlowFile content.")
            .required(false)
            .expressionLanguageSupported(ExpressionLanguageScope.FLOWFILE_ATTRIBUTES)
            .addValidator(Validator.VALID)
            .dependsOn(RESULT, ELEMENTS, COUNT_BY_POST_GID)
            .build();
    static final PropertyDescriptor CONTENT_ELEMENT_LIMIT = new PropertyDescriptor.Builder()
            .name("Content Element Limit")
            .description("With a Results Directory: results with more lines (elements, or post_gid groups) than this go to a file"
                    + " instead of the content. 0 sends every result to a file.")
            .required(true)
            .defaultValue("100000")
            .addValidator(StandardValidators.NON_NEGATIVE_INTEGER_VALIDATOR)
            .dependsOn(RESULTS_DIRECTORY)
            .build();
    static final PropertyDescriptor RESULTS_FILE_NAME = new PropertyDescriptor.Builder()
            .name("Results File Name")
            .description("Name of a results file inside the Results Directory. Empty: the FlowFile's uuid plus .csv or .jsonl.")
            .required(false)
            .expressionLanguageSupported(ExpressionLanguageScope.FLOWFILE_ATTRIBUTES)
            .addValidator(Validator.VALID)
            .dependsOn(RESULTS_DIRECTORY)
            .build();
    static final PropertyDescriptor VERIFY_CHECKSUM = new PropertyDescriptor.Builder()
            .name("Verify Data Checksum")
            .description("Check the CRC-32 of the whole index when it is opened (reads the file once; an index stays open"
                    + " across FlowFiles until it changes on disk or the processor stops). The header is always checked.")
            .required(true)
            .allowableValues("true", "false")
            .defaultValue("false")
            .build();

    static final Relationship REL_SUCCESS = new Relationship.Builder().name("success")
            .description("The query ran; the result is in the content, in query.count, or in the file named by query.result.path.").build();
    static final Relationship REL_FAILURE = new Relationship.Builder().name("failure")
            .description("The query could not run; memmap.error.type and memmap.error.message say why.").build();

    private static final List<PropertyDescriptor> PROPERTIES = List.of(INDEX_PATH, SHAPE, BOX_CORNER, BOX_OPPOSITE_CORNER,
            SPHERE_CENTER, SPHERE_RADIUS, ACCURACY, RESULT, FIELDS, RESULT_FORMAT, RESULTS_DIRECTORY, CONTENT_ELEMENT_LIMIT,
            RESULTS_FILE_NAME, FileProperties.CREATE_DIRECTORIES, FileProperties.CONFLICT_RESOLUTION, VERIFY_CHECKSUM, FileProperties.ALLOWED_DIRECTORIES);
    private static final Set<Relationship> RELATIONSHIPS = Set.of(REL_SUCCESS, REL_FAILURE);
    /** Open indexes kept per processor; each costs a file descriptor and address space, not heap. */
    private static final int OPEN_INDEXES = 64;

    private volatile OpenIndexes indexes;

    @Override
    protected List<PropertyDescriptor> getSupportedPropertyDescriptors() {
        return PROPERTIES;
    }

    @Override
    public Set<Relationship> getRelationships() {
        return RELATIONSHIPS;
    }

    @Override
    protected Collection<ValidationResult> customValidate(ValidationContext context) {
        List<ValidationResult> problems = new ArrayList<>();
        boolean box = BOX.getValue().equals(context.getProperty(SHAPE).getValue());
        List<PropertyDescriptor> needed = box ? List.of(BOX_CORNER, BOX_OPPOSITE_CORNER) : List.of(SPHERE_CENTER, SPHERE_RADIUS);
        for (PropertyDescriptor property : needed) {
            String value = context.getProperty(property).getValue();
            if (value == null || value.isBlank()) {
                problems.add(new ValidationResult.Builder().subject(property.getDisplayName()).valid(false)
                        .explanation("a " + (box ? "box needs both corners" : "sphere needs a center and a radius")
                                + ": set " + needed.get(0).getDisplayName() + " and " + needed.get(1).getDisplayName()).build());
            }
        }
        return problems;
    }

    @OnScheduled
    public void openCache(ProcessContext context) {
        indexes = new OpenIndexes(OPEN_INDEXES, context.getProperty(VERIFY_CHECKSUM).asBoolean());
    }

    @OnStopped
    public void closeCache() {
        OpenIndexes open = indexes;
        if (open != null) {
            open.close();
            indexes = null;
        }
    }

    @Override
    public void onTrigger(ProcessContext context, ProcessSession session) {
        FlowFile flowFile = session.get();
        if (flowFile == null) {
            return;
        }
        long started = System.nanoTime();
        CreatedOutputs outputs;
        try {
            Path path = FileProperties.input(context, INDEX_PATH, flowFile);
            boolean multi = MultiIndex.isMulti(path);
            Path indexFile = FileProperties.allowed(context).checkInput(multi ? path : indexFile(path), "Index Path");
            Query query = query(context, flowFile);
            String result = context.getProperty(RESULT).getValue();
            Map<String, String> attributes = new LinkedHashMap<>();
            attributes.put("query.result", result);
            attributes.put("query.index.path", indexFile.toString());
            // A multi-index opens per FlowFile (each part opens in constant time); single indexes stay cached.
            try (MultiIndex index = multi ? MultiIndex.open(indexFile, context.getProperty(VERIFY_CHECKSUM).asBoolean())
                    : MultiIndex.of(indexes.get(indexFile), null)) {
                if (multi) {
                    attributes.put("query.index.parts", Integer.toString(index.parts().size()));
                }
                if (COUNT.getValue().equals(result)) {
                    attributes.put("query.count", Long.toString(index.count(query)));
                    attributes.put("query.result.location", "none");
                } else {
                    flowFile = writeResult(context, session, flowFile, index, query, ELEMENTS.getValue().equals(result), attributes);
                }
            }
            flowFile = session.putAllAttributes(flowFile, attributes);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            String resultPath = attributes.get("query.result.path");
            if (resultPath != null) {
                session.getProvenanceReporter().send(flowFile, Path.of(resultPath).toUri().toString(),
                        "Query results of " + indexFile, millis);
            } else if ("content".equals(attributes.get("query.result.location"))) {
                session.getProvenanceReporter().fetch(flowFile, indexFile.toUri().toString(), "Queried " + indexFile, millis);
            }
            session.adjustCounter("Queries run", 1, false);
            session.adjustCounter("Elements matched", Long.parseLong(attributes.get("query.count")), false);
            session.transfer(flowFile, REL_SUCCESS);
            outputs = CreatedOutputs.of("created".equals(attributes.get("query.result.outcome")) ? List.of(Path.of(resultPath)) : List.of());
        } catch (RuntimeException e) {
            session.adjustCounter("Queries failed", 1, false);
            Failures.route(session, flowFile, REL_FAILURE, getLogger(), "QuerySpatialIndex", e);
            return;
        }
        outputs.commit(session, getLogger());
    }

    /** A directory stands for the index file BuildSynapseIndex writes inside it. */
    private static Path indexFile(Path path) {
        return Files.isDirectory(path) ? path.resolve(SynapseIndexBuilder.INDEX_FILE) : path;
    }

    private static Query query(ProcessContext context, FlowFile flowFile) {
        Accuracy accuracy = Accuracy.parse(context.getProperty(ACCURACY).getValue());
        if (BOX.getValue().equals(context.getProperty(SHAPE).getValue())) {
            double[] a = PropertyValues.point(context, BOX_CORNER, flowFile);
            double[] b = PropertyValues.point(context, BOX_OPPOSITE_CORNER, flowFile);
            return Query.box(a[0], a[1], a[2], b[0], b[1], b[2], accuracy);
        }
        double[] c = PropertyValues.point(context, SPHERE_CENTER, flowFile);
        double radius = PropertyValues.number(context, SPHERE_RADIUS, flowFile);
        return Query.sphere(c[0], c[1], c[2], radius, accuracy);
    }

    /**
     * Writes elements or per-post_gid counts to the content, or to a results file when a Results Directory is set and
     * the result has more lines than the limit. Elements are counted first only then; the tree walk is cheap next to writing.
     */
    private FlowFile writeResult(ProcessContext context, ProcessSession session, FlowFile flowFile, MultiIndex index,
                                 Query query, boolean elements, Map<String, String> attributes) {
        boolean json = JSON_LINES.getValue().equals(context.getProperty(RESULT_FORMAT).getValue());
        ResultsFile.Lines lines;
        long count;
        if (elements) {
            List<String> fields = PropertyValues.names(context, FIELDS, flowFile);
            index.parts().forEach(p -> fields.forEach(p.index()::field)); // an unknown column fails here, naming the columns
            MatchWriter.Format format = json ? MatchWriter.Format.JSON_LINES : MatchWriter.Format.CSV;
            lines = out -> writeElements(index, query, out, format, fields);
            count = -1;
        } else {
            if (index.severalPopulations()) {
                throw new MemmapException(ErrorKind.INVALID_CONFIG, "count_by_post_gid over several populations would mix their"
                        + " node ids; query one population's index or multi-index manifest");
            }
            SortedMap<Long, Long> groups = index.countByPostGid(query);
            count = groups.values().stream().mapToLong(Long::longValue).sum();
            attributes.put("query.groups", Integer.toString(groups.size()));
            lines = out -> writeGroups(groups, out, json);
        }
        String directory = PropertyValues.text(context, RESULTS_DIRECTORY, flowFile);
        if (directory != null) {
            long limit = context.getProperty(CONTENT_ELEMENT_LIMIT).asLong();
            if (elements) {
                count = index.count(query);
            }
            long size = elements ? count : Long.parseLong(attributes.get("query.groups"));
            if (size > limit) {
                attributes.put("query.count", Long.toString(count));
                attributes.put("query.result.location", "file");
                attributes.put("query.result.path", writeFile(context, flowFile, json, lines, attributes).toString());
                return flowFile;
            }
        }
        long[] written = {count};
        flowFile = session.write(flowFile, out -> {
            Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
            long n = lines.writeTo(w);
            w.flush();
            if (elements) {
                written[0] = n;
            }
        });
        attributes.put("query.count", Long.toString(written[0]));
        attributes.put("query.result.location", "content");
        attributes.put("mime.type", json ? "application/x-ndjson" : "text/csv");
        return flowFile;
    }

    /** Writes the result file; its outcome (created, replaced, ignored) goes to {@code query.result.outcome}. */
    private static Path writeFile(ProcessContext context, FlowFile flowFile, boolean json, ResultsFile.Lines lines,
                                  Map<String, String> attributes) {
        String name = PropertyValues.text(context, RESULTS_FILE_NAME, flowFile);
        Path directory = FileProperties.outputDirectory(context, flowFile, RESULTS_DIRECTORY);
        Path target = FileProperties.outputIn(context, directory, name != null ? name : flowFile.getAttribute("uuid") + (json ? ".jsonl" : ".csv"),
                "Results File Name");
        ResultsFile.Written written = ResultsFile.write(target, FileProperties.conflictStrategy(context), lines);
        attributes.put("query.result.outcome", written.outcome().name().toLowerCase(java.util.Locale.ROOT));
        return written.path();
    }

    /** Every match of every part, each part through its own columns, with a population column where populations differ. */
    private static long writeElements(MultiIndex index, Query query, Writer out, MatchWriter.Format format, List<String> fields) {
        boolean population = index.severalPopulations();
        Map<MultiIndex.Part, MatchWriter> writers = new java.util.IdentityHashMap<>();
        boolean[] header = {true};
        MultiIndex.Part first = index.parts().getFirst();
        if (format == MatchWriter.Format.CSV) {
            // The header comes from the first part, even when no element matches, as a single index writes it.
            writers.put(first, MatchWriter.create(first.index(), out, format, fields, population ? first.population() : null, true));
            header[0] = false;
        }
        return index.query(query, (part, record) -> writers.computeIfAbsent(part, p -> MatchWriter.create(p.index(), out, format,
                fields, population ? p.population() : null, header[0])).accept(record));
    }

    private static long writeGroups(SortedMap<Long, Long> groups, Writer out, boolean json) {
        try {
            if (!json) {
                out.write("post_gid,count\n");
            }
            for (Map.Entry<Long, Long> g : groups.entrySet()) {
                String gid = Long.toUnsignedString(g.getKey());
                out.write(json ? "{\"post_gid\":" + gid + ",\"count\":" + g.getValue() + "}\n" : gid + "," + g.getValue() + "\n");
            }
            return groups.size();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write query results", e);
        }
    }
}
