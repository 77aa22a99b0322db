package org.nifimemmap.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nifimemmap.index.SynapseSink;
import org.nifimemmap.io.MemmapException;
import org.nifimemmap.morphology.H5MorphologyReader;
import org.nifimemmap.morphology.Morphology;
import org.nifimemmap.morphology.Section;
import org.nifimemmap.sonata.edges.EdgesFile;
import org.nifimemmap.sonata.nodes.NodePlacement;
import org.nifimemmap.sonata.nodes.NodePopulationReader;
import org.nifimemmap.sonata.nodes.NodeSelection;

/**
 * A property the fuzz contract cannot see, because a wrong result is not an exception: an HDF5 file cut
 * short (an interrupted copy) is refused, or reads exactly as the whole file. Every prefix of each seed is
 * tried, at a stride that keeps the test to a few seconds. This found jhdf reading missing data as a
 * repeat of the bytes before the end.
 */
class TruncatedHdf5Test {
    private static final int PREFIXES_PER_FILE = 150;

    static Stream<Arguments> morphologies() {
        return FuzzSeeds.matching("morphologies/morphio/h5/v1/*.h5", "sonata/*/morphologies/*.h5");
    }

    static Stream<Arguments> nodes() {
        return FuzzSeeds.matching("sonata/**/nodes*.h5");
    }

    static Stream<Arguments> edges() {
        return FuzzSeeds.matching("sonata/**/edges*.h5");
    }

    @ParameterizedTest
    @MethodSource("morphologies")
    void morphologyPrefixIsRefusedOrReadsAsTheWhole(byte[] whole, @TempDir Path dir) throws IOException {
        Path file = Files.write(dir.resolve("whole.h5"), whole);
        String expected = describe(() -> read(file));
        assertEveryPrefix(whole, dir, expected, prefix -> describe(() -> read(prefix)));
    }

    @ParameterizedTest
    @MethodSource("nodes")
    void nodesPrefixIsRefusedOrReadsAsTheWhole(byte[] whole, @TempDir Path dir) throws IOException {
        Path file = Files.write(dir.resolve("whole.h5"), whole);
        String expected = describe(() -> placements(file));
        assertEveryPrefix(whole, dir, expected, prefix -> describe(() -> placements(prefix)));
    }

    @ParameterizedTest
    @MethodSource("edges")
    void edgesPrefixIsRefusedOrReadsAsTheWhole(byte[] whole, @TempDir Path dir) throws IOException {
        Path file = Files.write(dir.resolve("whole.h5"), whole);
        String expected = describe(() -> synapses(file));
        assertEveryPrefix(whole, dir, expected, prefix -> describe(() -> synapses(prefix)));
    }

    private interface Reading {
        String of(Path file);
    }

    private static void assertEveryPrefix(byte[] whole, Path dir, String expected, Reading reading) throws IOException {
        int stride = Math.max(1, whole.length / PREFIXES_PER_FILE);
        for (int length = 1; length < whole.length; length += stride) {
            Path prefix = Files.write(dir.resolve("prefix.h5"), Arrays.copyOf(whole, length));
            String got = reading.of(prefix);
            assertTrue(got.startsWith("refused") || got.equals(expected),
                    "prefix of " + length + " of " + whole.length + " bytes was read as something else: " + got);
        }
    }

    /** The content as comparable text, or "refused" for a MemmapException (the whole file may be refused too). */
    private static String describe(java.util.function.Supplier<String> read) {
        try {
            return read.get();
        } catch (MemmapException e) {
            return "refused: " + e.kind();
        }
    }

    private static String read(Path file) {
        Morphology m = new H5MorphologyReader().read(file);
        StringBuilder s = new StringBuilder(m.soma().type() + Arrays.toString(m.soma().points()));
        for (Section section : m.sections()) {
            s.append('|').append(section.type()).append(',').append(section.parentId())
                    .append(Arrays.toString(section.points())).append(Arrays.toString(section.diameters()));
        }
        return s.toString();
    }

    /** Every population's synapses (a seed whose populations lack positions is refused whole). */
    private static String synapses(Path file) {
        try (EdgesFile edges = EdgesFile.open(file)) {
            StringBuilder s = new StringBuilder();
            SynapseSink rows = new SynapseSink() {
                @Override
                public void add(float x, float y, float z, long edgeId, long preGid, long postGid) {
                    s.append(x).append(',').append(y).append(',').append(z).append(',').append(edgeId)
                            .append(',').append(preGid).append(',').append(postGid).append(';');
                }

                @Override
                public void add(float x, float y, float z, long edgeId, long preGid, long postGid, double[] extras) {
                    add(x, y, z, edgeId, preGid, postGid);
                }
            };
            for (String name : edges.populations()) {
                s.append('|').append(name).append(':');
                edges.population(name, List.of()).readInto(rows);
            }
            return s.toString();
        }
    }

    private static String placements(Path file) {
        try (NodePopulationReader r = new NodePopulationReader(file, null)) {
            List<NodePlacement> all = new ArrayList<>();
            r.forEach(NodeSelection.all(), all::add);
            return all.toString();
        }
    }
}
