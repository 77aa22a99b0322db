package org.nifimemmap.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Every flow definition of templates/ on a real NiFi 2 node, driven only through the REST API the canvas uses: uploaded,
 * validated, configured through parameter-context update requests, fed as a user would (ListFile on the canvas into the
 * group's input port), run, and checked through queue listings, provenance, counters and the files it wrote.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RealNodeFlowsTest {
    private static final Pattern VALIDATED_AGAINST = Pattern.compile("validated against '([^']*)'");

    private NodeUnderTest nifi;
    private Canvas canvas;
    private Path data;
    private final Map<String, String> groups = new LinkedHashMap<>();

    @BeforeAll
    void startNodeAndUploadEveryFlowDefinition() throws IOException {
        nifi = NodeUnderTest.start("flows");
        canvas = nifi.canvas;
        data = nifi.work.resolve("data");
        int column = 0;
        try (DirectoryStream<Path> flows = Files.newDirectoryStream(NodeUnderTest.templates(), "*.json")) {
            for (Path flow : flows) {
                String id = canvas.upload(flow, 450.0 * column++, 0);
                groups.put(flow.getFileName().toString(), id);
            }
        }
        assertEquals(Set.of("eeg-to-zarr.json", "eeg-scheduled-ingestion.json", "circuit-index.json", "circuit-index-cluster.json"),
                groups.keySet());
    }

    @AfterAll
    void stopNode() throws IOException {
        if (nifi != null) {
            nifi.close();
        }
    }

    @Test
    @Order(1)
    void everyFlowUploadsWithNothingInvalidButWhatItsParameterContextSaysTheUserMustFill() {
        Map<String, String> byName = canvas.groups();
        for (Map.Entry<String, String> group : groups.entrySet()) {
            assertTrue(byName.containsValue(group.getValue()));
            JsonNode context = canvas.parameterContext(canvas.parameterContextId(group.getValue())).path("component");
            String description = context.path("description").asText();
            assertTrue(description.startsWith("Fill before starting:"), group.getKey() + ": context description " + description);
            // The defaults of the parameters the description names are what a user must replace.
            Set<String> mustFillDefaults = new java.util.HashSet<>();
            for (JsonNode p : context.path("parameters")) {
                JsonNode parameter = p.path("parameter");
                if (description.contains(parameter.path("name").asText())) {
                    mustFillDefaults.add(parameter.path("value").asText());
                }
            }
            for (String invalid : canvas.invalidComponents(group.getValue())) {
                if (invalid.startsWith("outputPorts ") || invalid.startsWith("inputPorts ")) {
                    assertTrue(invalid.matches(".*has no (incoming|outgoing) connections.*") && description.contains("Connect its ports"),
                            group.getKey() + ": " + invalid);
                    continue;
                }
                Matcher m = VALIDATED_AGAINST.matcher(invalid);
                assertTrue(m.find(), group.getKey() + ": " + invalid);
                do {
                    assertTrue(mustFillDefaults.contains(m.group(1)), group.getKey() + ": invalid for a value the user is not told to"
                            + " fill: " + invalid);
                } while (m.find());
            }
            // Empty parameters are "not set": our processors are valid with their defaults (channels and rate empty).
            for (String invalid : canvas.invalidComponents(group.getValue())) {
                assertFalse(invalid.contains("ConvertEegToZarr") || invalid.contains("RestrictByIntervals")
                        || invalid.contains("Build") , group.getKey() + ": " + invalid);
            }
        }
    }

    @Test
    @Order(2)
    void scheduledIngestionConvertsRecordingsDroppedIntoTheInputDirectory() throws Exception {
        String group = groups.get("eeg-scheduled-ingestion.json");
        String context = canvas.parameterContextId(group);
        Path input = Files.createDirectories(data.resolve("ingest/raw"));
        Path output = data.resolve("ingest/zarr/new"); // missing: Create Missing Directories makes it
        canvas.setParameters(context, Map.of("input.directory", input.toString(), "output.directory", output.toString(),
                "input.min_age", "0 sec"));
        assertEquals(List.of(), canvas.invalidComponents(group));

        Path withXml = Recordings.write(input.resolve("rat1/rat1.dat"), 3, 5_000, 1);
        Recordings.neuroscopeXml(input.resolve("rat1/rat1.xml"), 3, 20_000);
        Path bad = input.resolve("rat2/rat2.dat");
        Files.createDirectories(bad.getParent());
        Files.write(bad, new byte[1001]); // not a whole number of 3-channel int16 frames
        Recordings.neuroscopeXml(input.resolve("rat2/rat2.xml"), 3, 20_000);
        canvas.schedule(group, "RUNNING");
        String failed = canvas.connectionId(group, "failed");
        nifi.await("rat1.zarr and a failed FlowFile", 90,
                () -> Files.isDirectory(output.resolve("rat1.zarr")) && canvas.queued(failed) == 1);
        Recordings.assertZarrEqualsRaw(output.resolve("rat1.zarr"), withXml, 3, 20_000);

        Map<String, String> failure = canvas.listQueue(failed).getFirst();
        assertEquals("rat2.dat", failure.get("filename"));
        assertEquals("invalid-input", failure.get("memmap.error.type"), failure.toString());
        assertTrue(failure.get("memmap.error.message").contains("rat2.dat"), failure.get("memmap.error.message"));

        // Explicit channels and rate instead of the XML: set while running, as a user edits the context.
        canvas.setParameters(context, Map.of("eeg.channels", "2", "eeg.sampling_rate", "1250"));
        Path explicit = Recordings.write(input.resolve("mouse/m1.lfp"), 2, 4_000, 2);
        nifi.await("m1.zarr", 90, () -> Files.isDirectory(output.resolve("m1.zarr")));
        Recordings.assertZarrEqualsRaw(output.resolve("m1.zarr"), explicit, 2, 1250);
        canvas.schedule(group, "STOPPED");
        assertTrue(Files.size(bad) == 1001 && Files.isRegularFile(withXml), "inputs are never modified or removed");
    }

    @Test
    @Order(3)
    void eegFlowRunsEndToEndFedByListFileWithProvenanceAndCounters() throws Exception {
        String group = groups.get("eeg-to-zarr.json");
        Path input = Files.createDirectories(data.resolve("eeg/raw"));
        Path output = data.resolve("eeg/zarr");
        canvas.setParameters(canvas.parameterContextId(group), Map.of("output.directory", output.toString(),
                "eeg.channels", "4", "eeg.sampling_rate", "1250", "restrict.intervals", "0-1, 2-3"));
        Path raw = Recordings.write(input.resolve("session.dat"), 4, 5_000, 3);
        Map<String, String> queues = feed(group, Map.of("recordings", Map.entry(input, ".*\\.dat")),
                List.of("converted", "restricted", "failed"));
        nifi.await("a restricted recording", 90, () -> canvas.queued(queues.get("restricted")) == 1);
        assertEquals(0, canvas.queued(queues.get("failed")));
        Recordings.assertZarrEqualsRaw(output.resolve("session.zarr"), raw, 4, 1250);
        Map<String, String> restricted = canvas.listQueue(queues.get("restricted")).getFirst();
        assertEquals("2", restricted.get("restrict.segments"), restricted.toString());
        assertTrue(Files.isDirectory(Path.of(restricted.get("zarr.path"))), restricted.toString());

        String convert = canvas.componentId(group, "processors", "ConvertEegToZarr");
        String restrict = canvas.componentId(group, "processors", "RestrictByIntervals");
        assertProvenanceWithFileUris(Set.of(convert, restrict));
        Map<String, Long> counters = canvas.counters();
        assertTrue(counters.entrySet().stream().anyMatch(e -> e.getKey().endsWith("/Recordings converted") && e.getValue() >= 1),
                counters.toString());
        canvas.schedule(group, "STOPPED");
    }

    @Test
    @Order(4)
    void circuitFlowIndexesSynapsesAndSegmentsEndToEnd() throws Exception {
        String group = groups.get("circuit-index.json");
        Path output = data.resolve("indexes");
        Path edges = Files.createDirectories(data.resolve("circuit/edges"));
        Files.copy(NodeUnderTest.fixtures().resolve("sonata/syn-2k/edges.h5"), edges.resolve("edges.h5"));
        canvas.setParameters(canvas.parameterContextId(group), Map.of("output.directory", output.toString(),
                "source.kind", "edges-file", "segment.source.kind", "circuit-config"));
        Path circuit = NodeUnderTest.fixtures().resolve("sonata/usecases/usecase1");
        Map<String, String> queues = feed(group, Map.of("edges", Map.entry(edges, ".*\\.h5"),
                "circuits", Map.entry(circuit, "circuit_sonata\\.json")), List.of("indexed", "failed"));
        nifi.await("synapse and segment indexes", 120, () -> canvas.queued(queues.get("indexed")) == 2);
        assertEquals(0, canvas.queued(queues.get("failed")));
        Map<String, Long> elements = new LinkedHashMap<>();
        for (Map<String, String> indexed : canvas.listQueue(queues.get("indexed"))) {
            assertTrue(Files.isRegularFile(Path.of(indexed.get("index.path"))), indexed.toString());
            elements.put(indexed.get("index.population"), Long.parseLong(indexed.get("index.elements")));
        }
        assertEquals(Map.of("neocortex_neurons__chemical_synapse", 1931L, "nodeA", 13632L), elements);
        assertProvenanceWithFileUris(Set.of(canvas.componentId(group, "processors", "BuildSynapseIndex"),
                canvas.componentId(group, "processors", "BuildSegmentIndex")));
        Map<String, Long> counters = canvas.counters();
        // Each counter is listed per processor and summed per type ("All BuildSynapseIndex's"); the per-processor ones add up.
        long populations = counters.entrySet().stream().filter(e -> !e.getKey().startsWith("All ")
                && e.getKey().endsWith("/Populations indexed")).mapToLong(Map.Entry::getValue).sum();
        assertEquals(2, populations, counters.toString());
        assertTrue(counters.entrySet().stream().anyMatch(e -> e.getKey().endsWith("/Synapses indexed") && e.getValue() == 1931),
                counters.toString());
        canvas.schedule(group, "STOPPED");
    }

    @Test
    @Order(5)
    void theCanvasOfARunningFlowShowsOurProcessorsInChromium() throws Exception {
        String group = groups.get("eeg-to-zarr.json");
        canvas.schedule(group, "RUNNING");
        Path screenshot = Path.of("target", "canvas-eeg-to-zarr.png").toAbsolutePath();
        String dom = HeadlessChromium.render(nifi.node.canvasUrl() + "#/process-groups/" + group, screenshot, nifi.work);
        for (String name : List.of("ConvertEegToZarr", "RestrictByIntervals", "recordings", "restricted")) {
            assertTrue(dom.contains(name), "the rendered canvas does not show " + name);
        }
        assertTrue(Files.size(screenshot) > 20_000, "screenshot " + screenshot + " is too small to show a canvas");
        canvas.schedule(group, "STOPPED");
    }

    /**
     * What a user does to feed a group from files: a ListFile on the root canvas into each named input port (directory
     * and file name filter), each output port into a funnel through a connection named after the port, then the group
     * and the ListFiles started; returns the output ports' connections by port name.
     */
    private Map<String, String> feed(String group, Map<String, Map.Entry<Path, String>> inputs, List<String> outputPorts) {
        String root = canvas.rootGroupId();
        Map<String, String> queues = new LinkedHashMap<>();
        int x = 0;
        for (String port : outputPorts) {
            String funnel = canvas.addFunnel(root, x, 600);
            x += 150;
            queues.put(port, canvas.connect(root, new Canvas.Connectable(canvas.componentId(group, "outputPorts", port), group,
                    "OUTPUT_PORT"), new Canvas.Connectable(funnel, root, "FUNNEL"), port, List.of()));
        }
        Map<String, String> bundle = Map.of("group", "org.nifimemmap", "artifact", "nifi-memmap-standard-nar",
                "version", System.getProperty("memmap.version"));
        List<String> listings = new ArrayList<>();
        inputs.forEach((port, source) -> {
            String list = canvas.addProcessor(root, "org.apache.nifi.processors.standard.ListFile", bundle, "List " + port,
                    Map.of("Input Directory", source.getKey().toString(), "File Filter", source.getValue(), "Minimum File Age", "0 sec"),
                    "2 sec", List.of());
            canvas.connect(root, new Canvas.Connectable(list, root, "PROCESSOR"),
                    new Canvas.Connectable(canvas.componentId(group, "inputPorts", port), group, "INPUT_PORT"), port,
                    List.of("success"));
            listings.add(list);
        });
        // Started once wired: a port without connections is invalid, and starting a group skips invalid components.
        canvas.schedule(group, "RUNNING");
        listings.forEach(list -> canvas.runStatus(list, "RUNNING"));
        return queues;
    }

    /** Provenance of the given processors names the files they read and wrote with file:// URIs. */
    private void assertProvenanceWithFileUris(Set<String> processors) throws IOException {
        List<JsonNode> events = new ArrayList<>();
        nifi.await("provenance events of " + processors, 60, () -> {
            events.clear();
            canvas.provenanceEvents(1000).stream().filter(e -> processors.contains(e.path("componentId").asText()))
                    .filter(e -> e.path("transitUri").asText().startsWith("file://")).forEach(events::add);
            return events.stream().map(e -> e.path("componentId").asText()).collect(Collectors.toSet()).equals(processors);
        });
        for (JsonNode event : events) {
            assertTrue(Set.of("RECEIVE", "FETCH", "SEND").contains(event.path("eventType").asText()), event.toString());
        }
    }
}
