package org.nifimemmap.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nifimemmap.index.Accuracy;
import org.nifimemmap.index.Bounds;
import org.nifimemmap.index.Field;
import org.nifimemmap.index.Query;
import org.nifimemmap.index.SpatialIndex;
import org.nifimemmap.index.partition.MultiIndex;
import org.nifimemmap.sonata.circuit.SegmentIndexBuilder;
import org.nifimemmap.sonata.circuit.SegmentIndexRequest;
import org.nifimemmap.sonata.edges.SynapseIndexBuilder;
import org.nifimemmap.sonata.edges.SynapseIndexRequest;

/**
 * templates/circuit-index-cluster.json on a real 2-node NiFi cluster (ZooKeeper embedded in node 1, 127.0.0.1): the
 * primary node plans 4 partitions per population, the load-balanced connection spreads them over both nodes, one
 * node writes each multi-index, and every query of the multi-index equals the single index built from the same data.
 */
class ClusterIndexTest {
    private static final Map<String, String> STANDARD = Map.of("group", "org.nifimemmap", "artifact", "nifi-memmap-standard-nar",
            "version", System.getProperty("memmap.version"));

    @Test
    void bothNodesBuildPartitionsAndTheMultiIndexesAnswerLikeSingleIndexes() throws Exception {
        Path root = Path.of("target", "nodes", "cluster-index").toAbsolutePath();
        NodeUnderTest.delete(root);
        Path data = Files.createDirectories(root.resolve("data"));
        Path output = data.resolve("indexes");
        Path fixtures = NodeUnderTest.fixtures().resolve("sonata");
        Path edges = Files.createDirectories(data.resolve("edges"));
        Files.copy(fixtures.resolve("syn-2k/edges.h5"), edges.resolve("syn-2k.h5"));
        // circuit-10 has no circuit config upstream: one as a lab would write it, naming the fixture's files.
        Path configs = Files.createDirectories(data.resolve("configs"));
        Files.writeString(configs.resolve("circuit-10.json"), """
                {"version": 2, "networks": {"nodes": [{"nodes_file": "%s", "populations": {"All": {"type": "biophysical",
                 "morphologies_dir": "%s", "alternate_morphologies": {"neurolucida-asc": "%s"}}}}], "edges": []}}
                """.formatted(fixtures.resolve("circuit-10/nodes.h5"), fixtures.resolve("circuit-10/morphologies/ascii"),
                fixtures.resolve("circuit-10/morphologies/ascii")));
        Path usecase1 = fixtures.resolve("usecases/usecase1");

        List<Long> pids = new ArrayList<>();
        List<Integer> ports = new ArrayList<>();
        try (NiFiCluster cluster = NiFiCluster.start(Path.of(System.getProperty("memmap.node.home")), root, 2)) {
            cluster.nodes().forEach(n -> {
                pids.add(n.pid());
                ports.add(n.httpPort());
            });
            System.out.printf("[real NiFi] 2-node cluster formed in %.1f s%n", cluster.formSeconds());
            Canvas canvas = new Canvas(cluster.nodes().getFirst().rest());
            String group = canvas.upload(NodeUnderTest.templates().resolve("circuit-index-cluster.json"), 0, 0);
            canvas.setParameters(canvas.parameterContextId(group), Map.of("output.directory", output.toString(), "partitions", "4",
                    "segment.morphology.format", "neurolucida-asc"));
            String rootGroup = canvas.rootGroupId();
            Map<String, String> queues = new LinkedHashMap<>();
            for (String port : List.of("indexed", "failed")) {
                String funnel = canvas.addFunnel(rootGroup, 0, 900);
                queues.put(port, canvas.connect(rootGroup, new Canvas.Connectable(canvas.componentId(group, "outputPorts", port), group,
                        "OUTPUT_PORT"), new Canvas.Connectable(funnel, rootGroup, "FUNNEL"), port, List.of()));
            }
            List<String> listings = new ArrayList<>();
            listings.add(list(canvas, rootGroup, group, "edges", edges, ".*\\.h5"));
            listings.add(list(canvas, rootGroup, group, "circuits", configs, ".*\\.json"));
            listings.add(list(canvas, rootGroup, group, "circuits", usecase1, "circuit_sonata\\.json"));
            assertEquals(List.of(), canvas.invalidComponents(group));
            canvas.schedule(group, "RUNNING");
            listings.forEach(id -> canvas.runStatus(id, "RUNNING"));

            long deadline = System.nanoTime() + 240_000_000_000L;
            while (canvas.queued(queues.get("indexed")) < 3 && canvas.queued(queues.get("failed")) == 0) {
                assertTrue(System.nanoTime() < deadline, "the cluster did not index the three populations in 4 minutes; bulletins "
                        + canvas.bulletins());
                Canvas.pause(500);
            }
            assertEquals(0, canvas.queued(queues.get("failed")), () -> "failed: " + canvas.listQueue(queues.get("failed")));
            Map<String, Path> manifests = new HashMap<>();
            for (Map<String, String> indexed : canvas.listQueue(queues.get("indexed"))) {
                assertEquals("4", indexed.get("index.partitions"), indexed.toString());
                manifests.put(indexed.get("index.population"), Path.of(indexed.get("index.path")));
            }
            assertEquals(Set.of("neocortex_neurons__chemical_synapse", "All", "nodeA"), manifests.keySet());

            // Both nodes built partitions: the builders' FlowFiles out, node by node, as the cluster's status page shows them.
            Map<String, Long> builtPerNode = new HashMap<>();
            for (String builder : List.of("BuildSynapseIndex", "BuildSegmentIndex")) {
                JsonNode status = cluster.nodes().getFirst().rest().get("/flow/processors/"
                        + canvas.componentId(group, "processors", builder) + "/status?nodewise=true");
                for (JsonNode node : status.path("processorStatus").path("nodeSnapshots")) {
                    builtPerNode.merge(node.path("address").asText() + ":" + node.path("apiPort").asInt(),
                            node.path("statusSnapshot").path("flowFilesOut").asLong(), Long::sum);
                }
            }
            System.out.println("[real NiFi] partitions built per node: " + builtPerNode);
            assertEquals(2, builtPerNode.size(), builtPerNode.toString());
            assertEquals(12, builtPerNode.values().stream().mapToLong(Long::longValue).sum(), builtPerNode.toString());
            assertTrue(builtPerNode.values().stream().allMatch(n -> n > 0), "both nodes built partitions: " + builtPerNode);
            canvas.schedule(group, "STOPPED");
            listings.forEach(id -> canvas.runStatus(id, "STOPPED"));

            Path single = Files.createDirectories(data.resolve("single"));
            Path synapses = SynapseIndexBuilder.build(SynapseIndexRequest.ofEdgesFile(edges.resolve("syn-2k.h5"), single, 1L << 28))
                    .getFirst().indexFile();
            Path cells10 = SegmentIndexBuilder.build(SegmentIndexRequest.ofCircuitConfig(configs.resolve("circuit-10.json"), single,
                    1L << 28).withMorphologyFormat(org.nifimemmap.sonata.circuit.MorphologyFormat.parse("neurolucida-asc"))).getFirst().indexFile();
            Path cellsA = SegmentIndexBuilder.build(SegmentIndexRequest.ofCircuitConfig(usecase1.resolve("circuit_sonata.json"), single,
                    1L << 28).withMorphologyFormat(org.nifimemmap.sonata.circuit.MorphologyFormat.parse("neurolucida-asc"))).getFirst().indexFile();
            assertSameAnswers(synapses, manifests.get("neocortex_neurons__chemical_synapse"), List.of("edge_id"));
            assertSameAnswers(cells10, manifests.get("All"), List.of("gid", "section_id", "segment_id"));
            assertSameAnswers(cellsA, manifests.get("nodeA"), List.of("gid", "section_id", "segment_id"));
        }
        for (long pid : pids) {
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "cluster node " + pid + " still runs");
        }
        for (int port : ports) {
            assertFalse(NodeUnderTest.listening(port), "port " + port + " still open after the cluster stopped");
        }
        NodeUnderTest.delete(root);
    }

    private static String list(Canvas canvas, String rootGroup, String group, String port, Path directory, String filter) {
        String list = canvas.addProcessor(rootGroup, "org.apache.nifi.processors.standard.ListFile", STANDARD, "List " + directory.getFileName(),
                Map.of("Input Directory", directory.toString(), "File Filter", filter, "Minimum File Age", "0 sec",
                        "Recurse Subdirectories", "false"), "5 sec", List.of(), "PRIMARY");
        canvas.connect(rootGroup, new Canvas.Connectable(list, rootGroup, "PROCESSOR"),
                new Canvas.Connectable(canvas.componentId(group, "inputPorts", port), group, "INPUT_PORT"), port, List.of("success"));
        return list;
    }

    /** 200 random boxes and spheres, both accuracies: the multi-index finds exactly the single index's elements. */
    private static void assertSameAnswers(Path singleFile, Path manifest, List<String> key) {
        try (SpatialIndex single = SpatialIndex.open(singleFile, true); MultiIndex multi = MultiIndex.open(manifest, true)) {
            assertEquals(4, multi.parts().size());
            assertEquals(single.count(), multi.count(), manifest.toString());
            Bounds b = single.bounds();
            Random random = new Random(17);
            long matched = 0;
            for (int q = 0; q < 200; q++) {
                Accuracy accuracy = q % 2 == 0 ? Accuracy.BOUNDING_BOX : Accuracy.BEST_EFFORT;
                double x = b.minX() + random.nextDouble() * (b.maxX() - b.minX());
                double y = b.minY() + random.nextDouble() * (b.maxY() - b.minY());
                double z = b.minZ() + random.nextDouble() * (b.maxZ() - b.minZ());
                double size = (2 + random.nextDouble() * 25) * Math.max(1, b.maxX() - b.minX()) / 100;
                Query query = q % 4 < 2 ? Query.box(x, y, z, x + size, y + size, z + size, accuracy) : Query.sphere(x, y, z, size, accuracy);
                List<Field> fields = key.stream().map(single::field).toList();
                Set<List<Long>> expected = new HashSet<>();
                single.query(query, r -> expected.add(fields.stream().map(f -> single.getLong(r, f)).toList()));
                Set<List<Long>> actual = new HashSet<>();
                long n = multi.query(query, (part, r) -> actual.add(key.stream().map(k -> part.index().getLong(r, part.index().field(k))).toList()));
                assertEquals(expected.size(), n, manifest + " query " + query);
                assertEquals(expected, actual, manifest + " query " + query);
                matched += n;
            }
            assertTrue(matched > 0, manifest + ": the queries matched nothing");
        }
    }
}
