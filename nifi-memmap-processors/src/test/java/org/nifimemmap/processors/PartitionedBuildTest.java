package org.nifimemmap.processors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.nifi.util.MockFlowFile;
import org.apache.nifi.util.TestRunner;
import org.apache.nifi.util.TestRunners;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A partitioned build through the processors as a flow runs them: PlanIndexPartitions, BuildSynapseIndex or
 * BuildSegmentIndex once per partition, WriteMultiIndexManifest gathering them, and QuerySpatialIndex answering from
 * the manifest exactly as from the single index.
 */
class PartitionedBuildTest {
    @TempDir
    Path dir;

    @Test
    void synapsesInThreePartitionsQueryLikeTheSingleIndex() {
        List<MockFlowFile> planned = plan("synapses", SonataFixtures.SYN_2K, 3);
        TestRunner build = TestRunners.newTestRunner(BuildSynapseIndex.class);
        build.setProperty(FileProperties.OUTPUT_DIRECTORY, dir.resolve("parts").toString());
        build.setProperty(BuildSynapseIndex.POPULATION, "${index.population}");
        build.setProperty(PartitionProperty.PARTITION, "${index.partition.spec}");
        TestRunner gather = TestRunners.newTestRunner(WriteMultiIndexManifest.class);
        for (int i = 0; i < planned.size(); i++) {
            build.enqueue("", planned.get(i).getAttributes());
            build.run();
            build.assertAllFlowFilesTransferred(BuildSynapseIndex.REL_SUCCESS, i + 1);
            MockFlowFile partition = build.getFlowFilesForRelationship(BuildSynapseIndex.REL_SUCCESS).get(i);
            assertTrue(partition.getAttribute("index.directory").endsWith(String.format("part-%04d-of-0003", i)));
            gather.enqueue("", partition.getAttributes());
            gather.run();
            if (i < planned.size() - 1) {
                // Partitions of an incomplete build wait in the queue; nothing names a partition not built yet.
                gather.assertTransferCount(WriteMultiIndexManifest.REL_SUCCESS, 0);
                assertEquals(i + 1, gather.getQueueSize().getObjectCount());
                assertFalse(Files.exists(dir.resolve("parts").resolve(SonataFixtures.SYN_2K_POPULATION).resolve("multi-index.json")));
            }
        }
        gather.assertTransferCount(WriteMultiIndexManifest.REL_SUCCESS, 1);
        gather.assertTransferCount(WriteMultiIndexManifest.REL_ORIGINAL, 3);
        MockFlowFile manifest = gather.getFlowFilesForRelationship(WriteMultiIndexManifest.REL_SUCCESS).getFirst();
        manifest.assertAttributeEquals("index.elements", "1931");
        manifest.assertAttributeEquals("index.partitions", "3");

        Path single = singleSynapseIndex();
        assertSameQueryResults(Path.of(manifest.getAttribute("index.path")), single, "edge_id,pre_gid,post_gid,x,y,z", 60);
        assertEquals(query(single, "count_by_post_gid", "-1e6,-1e6,-1e6", "1e6,1e6,1e6", null),
                query(Path.of(manifest.getAttribute("index.path")), "count_by_post_gid", "-1e6,-1e6,-1e6", "1e6,1e6,1e6", null));
    }

    @Test
    void cellsInTwoPartitionsQueryLikeTheSingleIndex() {
        Path nodes = SonataFixtures.ROOT.resolve("circuit-10/nodes.h5");
        Path morphologies = SonataFixtures.ROOT.resolve("circuit-10/morphologies/ascii");
        List<MockFlowFile> planned = plan("cells", nodes, 2);
        TestRunner build = TestRunners.newTestRunner(BuildSegmentIndex.class);
        build.setProperty(BuildSegmentIndex.SOURCE, "nodes-file");
        build.setProperty(BuildSegmentIndex.NODES_FILE, nodes.toString());
        build.setProperty(BuildSegmentIndex.MORPHOLOGY_DIRECTORY, morphologies.toString());
        build.setProperty(FileProperties.OUTPUT_DIRECTORY, dir.resolve("parts").toString());
        build.setProperty(PartitionProperty.PARTITION, "${index.partition.spec}");
        TestRunner gather = TestRunners.newTestRunner(WriteMultiIndexManifest.class);
        planned.forEach(p -> build.enqueue("", p.getAttributes()));
        build.run(2);
        build.assertAllFlowFilesTransferred(BuildSegmentIndex.REL_SUCCESS, 2);
        build.getFlowFilesForRelationship(BuildSegmentIndex.REL_SUCCESS).forEach(f -> gather.enqueue("", f.getAttributes()));
        gather.run();
        gather.assertTransferCount(WriteMultiIndexManifest.REL_SUCCESS, 1);
        MockFlowFile manifest = gather.getFlowFilesForRelationship(WriteMultiIndexManifest.REL_SUCCESS).getFirst();
        manifest.assertAttributeEquals("index.elements", "21990");

        TestRunner whole = TestRunners.newTestRunner(BuildSegmentIndex.class);
        whole.setProperty(BuildSegmentIndex.SOURCE, "nodes-file");
        whole.setProperty(BuildSegmentIndex.NODES_FILE, nodes.toString());
        whole.setProperty(BuildSegmentIndex.MORPHOLOGY_DIRECTORY, morphologies.toString());
        whole.setProperty(FileProperties.OUTPUT_DIRECTORY, dir.resolve("single").toString());
        whole.enqueue("");
        whole.run();
        Path single = Path.of(whole.getFlowFilesForRelationship(BuildSegmentIndex.REL_SUCCESS).getFirst().getAttribute("index.path"));
        // The population's directory stands for its multi-index too.
        assertSameQueryResults(Path.of(manifest.getAttribute("index.directory")), single, "gid,section_id,segment_id", 40);
    }

    @Test
    void queuedPartitionsOfOneBuildAreBuiltTogetherInOneRead() throws Exception {
        List<MockFlowFile> planned = plan("synapses", SonataFixtures.SYN_2K, 4);
        TestRunner alone = partitionBuilder(dir.resolve("alone"), "1", planned);
        alone.run(4);
        alone.assertAllFlowFilesTransferred(BuildSynapseIndex.REL_SUCCESS, 4);

        TestRunner together = partitionBuilder(dir.resolve("together"), "3", planned);
        together.run(1);
        together.assertAllFlowFilesTransferred(BuildSynapseIndex.REL_SUCCESS, 3);
        assertEquals(3, together.getCounterValue("Partitions built together"));
        assertEquals(1, together.getQueueSize().getObjectCount(), "one read takes at most Partitions per Read partitions");
        together.run(1);
        together.assertAllFlowFilesTransferred(BuildSynapseIndex.REL_SUCCESS, 4);
        for (MockFlowFile f : together.getFlowFilesForRelationship(BuildSynapseIndex.REL_SUCCESS)) {
            f.assertAttributeEquals("index.outcome", "created");
            Path built = Path.of(f.getAttribute("index.path"));
            Path reference = dir.resolve("alone").resolve(dir.resolve("together").relativize(built));
            assertEquals(-1, Files.mismatch(built, reference), "partition " + f.getAttribute("index.partition") + " as built alone");
        }

        // One partition of the group exists already (Conflict Resolution fail): the joint build fails as a whole, then
        // each FlowFile is built on its own and gets its own outcome.
        TestRunner retry = partitionBuilder(dir.resolve("retry"), "8", List.of(planned.get(1)));
        retry.run(1);
        retry.clearTransferState();
        planned.forEach(p -> retry.enqueue("", p.getAttributes()));
        retry.run(1);
        retry.assertTransferCount(BuildSynapseIndex.REL_SUCCESS, 3);
        retry.assertTransferCount(BuildSynapseIndex.REL_FAILURE, 1);
        MockFlowFile failed = retry.getFlowFilesForRelationship(BuildSynapseIndex.REL_FAILURE).getFirst();
        failed.assertAttributeEquals("index.partition", "1");
        failed.assertAttributeEquals("memmap.error.type", "output-exists");
    }

    @Test
    void aBuildWithAMissingPartitionFileFailsNamingIt() throws Exception {
        List<MockFlowFile> planned = plan("synapses", SonataFixtures.SYN_2K, 2);
        TestRunner build = TestRunners.newTestRunner(BuildSynapseIndex.class);
        build.setProperty(FileProperties.OUTPUT_DIRECTORY, dir.resolve("parts").toString());
        build.setProperty(PartitionProperty.PARTITION, "${index.partition.spec}");
        planned.forEach(p -> build.enqueue("", p.getAttributes()));
        build.run(2);
        List<MockFlowFile> built = build.getFlowFilesForRelationship(BuildSynapseIndex.REL_SUCCESS);
        Path lost = Path.of(built.get(1).getAttribute("index.path"));
        Files.delete(lost);
        TestRunner gather = TestRunners.newTestRunner(WriteMultiIndexManifest.class);
        built.forEach(f -> gather.enqueue("", f.getAttributes()));
        gather.run();
        gather.assertAllFlowFilesTransferred(WriteMultiIndexManifest.REL_FAILURE, 2);
        MockFlowFile failed = gather.getFlowFilesForRelationship(WriteMultiIndexManifest.REL_FAILURE).getFirst();
        failed.assertAttributeEquals("memmap.error.type", "input-not-found");
        assertTrue(failed.getAttribute("memmap.error.message").contains(lost.toString()), failed.getAttribute("memmap.error.message"));
        assertFalse(Files.exists(lost.getParent().getParent().resolve("multi-index.json")));
    }

    /** BuildSynapseIndex set up for the partitions of a plan, with {@code queued} waiting in its queue. */
    private static TestRunner partitionBuilder(Path output, String partitionsPerRead, List<MockFlowFile> queued) {
        TestRunner build = TestRunners.newTestRunner(BuildSynapseIndex.class);
        build.setProperty(FileProperties.OUTPUT_DIRECTORY, output.toString());
        build.setProperty(PartitionProperty.PARTITION, "${index.partition.spec}");
        build.setProperty(BuildSynapseIndex.PARTITIONS_PER_READ, partitionsPerRead);
        queued.forEach(p -> build.enqueue("", p.getAttributes()));
        return build;
    }

    private List<MockFlowFile> plan(String elements, Path input, int partitions) {
        TestRunner plan = TestRunners.newTestRunner(PlanIndexPartitions.class);
        plan.setProperty(PlanIndexPartitions.ELEMENTS, elements);
        plan.setProperty(PlanIndexPartitions.PARTITIONS, Integer.toString(partitions));
        plan.enqueue("", Map.of("absolute.path", input.getParent().toString(), "filename", input.getFileName().toString()));
        plan.run();
        plan.assertAllFlowFilesTransferred(PlanIndexPartitions.REL_SUCCESS, partitions);
        List<MockFlowFile> planned = plan.getFlowFilesForRelationship(PlanIndexPartitions.REL_SUCCESS);
        assertEquals(partitions, planned.stream().map(f -> f.getAttribute("index.partition")).distinct().count());
        planned.forEach(f -> f.assertAttributeEquals("fragment.count", Integer.toString(partitions)));
        return planned;
    }

    private Path singleSynapseIndex() {
        TestRunner build = TestRunners.newTestRunner(BuildSynapseIndex.class);
        build.setProperty(FileProperties.OUTPUT_DIRECTORY, dir.resolve("single").toString());
        build.enqueue("", Map.of("absolute.path", SonataFixtures.SYN_2K.getParent().toString(), "filename", "edges.h5"));
        build.run();
        return Path.of(build.getFlowFilesForRelationship(BuildSynapseIndex.REL_SUCCESS).getFirst().getAttribute("index.path"));
    }

    /** Random boxes and spheres, both accuracies: the same lines (in any order) from the multi-index as from the single one. */
    private static void assertSameQueryResults(Path multi, Path single, String fields, int queries) {
        Random random = new Random(3);
        org.nifimemmap.index.Bounds bounds;
        try (org.nifimemmap.index.SpatialIndex index = org.nifimemmap.index.SpatialIndex.open(single, false)) {
            bounds = index.bounds();
        }
        long matched = 0;
        for (int q = 0; q < queries; q++) {
            double x = bounds.minX() + random.nextDouble() * (bounds.maxX() - bounds.minX());
            double y = bounds.minY() + random.nextDouble() * (bounds.maxY() - bounds.minY());
            double z = bounds.minZ() + random.nextDouble() * (bounds.maxZ() - bounds.minZ());
            double size = (5 + random.nextDouble() * 20) * (bounds.maxX() - bounds.minX()) / 100;
            String accuracy = q % 2 == 0 ? "bounding_box" : "best_effort";
            String a = x + "," + y + "," + z;
            String b = (x + size) + "," + (y + size) + "," + (z + size);
            Set<String> expected = new HashSet<>(query(single, "elements", a, b, fields + "|" + accuracy).lines().toList());
            Set<String> actual = new HashSet<>(query(multi, "elements", a, b, fields + "|" + accuracy).lines().toList());
            assertEquals(expected, actual, "box " + a + " / " + b + " " + accuracy);
            matched += expected.size() - 1;
        }
        assertTrue(matched > queries, "the queries matched elements: " + matched);
    }

    private static String query(Path index, String result, String corner, String opposite, String fieldsAndAccuracy) {
        TestRunner runner = TestRunners.newTestRunner(QuerySpatialIndex.class);
        runner.setProperty(QuerySpatialIndex.RESULT, result);
        runner.setProperty(QuerySpatialIndex.BOX_CORNER, corner);
        runner.setProperty(QuerySpatialIndex.BOX_OPPOSITE_CORNER, opposite);
        if (fieldsAndAccuracy != null) {
            String[] parts = fieldsAndAccuracy.split("\\|");
            runner.setProperty(QuerySpatialIndex.FIELDS, parts[0]);
            runner.setProperty(QuerySpatialIndex.ACCURACY, parts[1]);
        }
        runner.enqueue("", Map.of("index.path", index.toString()));
        runner.run();
        runner.assertAllFlowFilesTransferred(QuerySpatialIndex.REL_SUCCESS, 1);
        return runner.getFlowFilesForRelationship(QuerySpatialIndex.REL_SUCCESS).getFirst().getContent();
    }
}
