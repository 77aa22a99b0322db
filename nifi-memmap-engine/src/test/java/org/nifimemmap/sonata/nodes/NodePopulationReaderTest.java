package org.nifimemmap.sonata.nodes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nifimemmap.io.ErrorKind;
import org.nifimemmap.io.MemmapException;
import org.nifimemmap.morphology.H5py;

/** Node placements of the SONATA fixtures; expected matrices from bluepysnap's test_node_population.py. */
class NodePopulationReaderTest {
    static Path sonata(String name) {
        return Path.of(System.getProperty("memmap.fixtures", "../fixtures")).toAbsolutePath().normalize()
                .resolve("sonata").resolve(name);
    }

    private static List<NodePlacement> all(String file, String population) {
        try (NodePopulationReader r = new NodePopulationReader(sonata(file), population)) {
            List<NodePlacement> nodes = new ArrayList<>();
            r.forEach(NodeSelection.all(), nodes::add);
            return nodes;
        }
    }

    static void assertMatrix(double[][] expected, Rotation actual, double tolerance) {
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 3; c++) {
                assertEquals(expected[r][c], actual.get(r, c), tolerance, "element " + r + "," + c);
            }
        }
    }

    @Test
    void eulerAnglesLikeBluepysnap() {
        // test_orientations
        List<NodePlacement> nodes = all("snap/nodes.h5", "default");
        assertEquals(3, nodes.size());
        assertMatrix(new double[][] {{0.738219, 0, 0.674560}, {0, 1, 0}, {-0.674560, 0, 0.738219}},
                nodes.get(0).rotation(), 1e-6);
        assertMatrix(new double[][] {{-0.86768965, -0.44169042, 0.22808825}, {0.48942842, -0.8393853, 0.23641518},
                {0.0870316, 0.31676788, 0.94450178}}, nodes.get(1).rotation(), 1e-6);
        assertMatrix(new double[][] {{0.462986, 0, 0.886365}, {0, 1, 0}, {-0.886365, 0, 0.462986}},
                nodes.get(2).rotation(), 1e-6);
        assertEquals(List.of("morph-A", "morph-B", "morph-C"), nodes.stream().map(NodePlacement::morphology).toList());
        assertArrayEquals(new double[] {101, 201, 301}, nodes.stream().mapToDouble(NodePlacement::x).toArray());
    }

    @Test
    void quaternionsAreNormalised() {
        // test_orientations, nodes_quaternions.h5 (float32, w=1 with one unit axis: 90 degree turns)
        List<NodePlacement> nodes = all("snap/nodes_quaternions.h5", "default");
        assertMatrix(new double[][] {{1, 0, 0}, {0, 0, -1}, {0, 1, 0}}, nodes.get(0).rotation(), 1e-6);
        assertMatrix(new double[][] {{0, 0, 1}, {0, 1, 0}, {-1, 0, 0}}, nodes.get(1).rotation(), 1e-6);
        assertMatrix(new double[][] {{0, -1, 0}, {1, 0, 0}, {0, 0, 1}}, nodes.get(2).rotation(), 1e-6);
    }

    @Test
    void partialQuaternionIsRefusedAndNoOrientationIsIdentity() {
        // test_orientations: nodes_quaternions_w_missing.h5 raises in bluepysnap
        MemmapException e = assertThrows(MemmapException.class,
                () -> all("snap/nodes_quaternions_w_missing.h5", "default"));
        assertEquals(ErrorKind.INVALID_INPUT, e.kind());
        assertTrue(e.getMessage().contains("orientation_w") && e.getMessage().contains("nodes_quaternions_w_missing.h5"));
        for (NodePlacement n : all("snap/nodes_no_rotation.h5", "default")) {
            assertMatrix(new double[][] {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}, n.rotation(), 0);
        }
    }

    @Test
    void eulerAndQuaternionOfTheSameRotationGiveTheSameMatrix() {
        double ax = 0.3;
        double ay = -1.1;
        double az = 2.5;
        // Rx·Ry·Rz as the Hamilton product qx ⊗ qy ⊗ qz, scaled by 3 to exercise normalisation.
        double[] q = multiply(multiply(new double[] {Math.cos(ax / 2), Math.sin(ax / 2), 0, 0},
                new double[] {Math.cos(ay / 2), 0, Math.sin(ay / 2), 0}),
                new double[] {Math.cos(az / 2), 0, 0, Math.sin(az / 2)});
        Rotation fromQuaternion = Rotation.fromQuaternion(3 * q[0], 3 * q[1], 3 * q[2], 3 * q[3]);
        Rotation fromEuler = Rotation.fromEuler(ax, ay, az);
        assertArrayEquals(fromEuler.toArray(), fromQuaternion.toArray(), 1e-12);
        // and the Euler order is x then y then z applied right to left: R = Rx·Ry·Rz
        double[] p = new double[3];
        Rotation.fromEuler(0, 0, Math.PI / 2).apply(1, 0, 0, p);
        assertArrayEquals(new double[] {0, 1, 0}, p, 1e-12);
    }

    private static double[] multiply(double[] a, double[] b) {
        return new double[] {
            a[0] * b[0] - a[1] * b[1] - a[2] * b[2] - a[3] * b[3],
            a[0] * b[1] + a[1] * b[0] + a[2] * b[3] - a[3] * b[2],
            a[0] * b[2] - a[1] * b[3] + a[2] * b[0] + a[3] * b[1],
            a[0] * b[3] + a[1] * b[2] - a[2] * b[1] + a[3] * b[0]};
    }

    @Test
    void libraryTablesAndStorageTypes() {
        // circuit-10: float64 positions, uint64 indices into @library/morphology, quaternions
        List<NodePlacement> circuit = all("circuit-10/nodes.h5", null);
        assertEquals(10, circuit.size());
        assertTrue(circuit.stream().allMatch(n -> n.morphology().equals("sm090227a1-2_idC")));
        assertEquals(40.821401, circuit.get(0).x(), 1e-12);
        // usecase1: float32 positions and orientation, uint32 indices
        List<NodePlacement> usecase = all("usecases/usecase1/nodes.h5", "nodeA");
        assertEquals(List.of("C210401C", "C210401C"), usecase.stream().map(NodePlacement::morphology).toList());
        assertEquals(97.62701f, (float) usecase.get(0).x());
        double[] p = new double[3];
        usecase.get(0).rotation().apply(1, 2, 3, p);
        assertEquals(Math.sqrt(14), Math.sqrt(p[0] * p[0] + p[1] * p[1] + p[2] * p[2]), 1e-9);
    }

    @Test
    void selectionsPopulationsAndMissingColumns() {
        List<Long> ids = new ArrayList<>();
        try (NodePopulationReader r = new NodePopulationReader(sonata("snap/nodes.h5"), "default2")) {
            assertEquals(4, r.size());
            r.forEach(NodeSelection.parse("3, 0-1"), n -> ids.add(n.nodeId()));
            assertEquals(List.of(3L, 0L, 1L), ids);
            MemmapException beyond = assertThrows(MemmapException.class,
                    () -> r.forEach(NodeSelection.parse("2-4"), n -> { }));
            assertEquals(ErrorKind.INVALID_CONFIG, beyond.kind());
        }
        MemmapException which = assertThrows(MemmapException.class, () -> all("snap/nodes.h5", null));
        assertTrue(which.getMessage().contains("default2"), which.getMessage());
        MemmapException noX = assertThrows(MemmapException.class, () -> all("snap/nodes_with_library_small.h5", null));
        assertTrue(noX.getMessage().contains("/nodes/default/0/x is missing"), noX.getMessage());
    }

    @Test
    void columnsOfTheWrongTypeOrImpossibleShapeAreInvalidInput(@TempDir Path dir) throws IOException {
        // String positions, float @library indices, string group ids: HdfNumbers refuses them with an
        // IllegalArgumentException, which escaped the reader. A population declaring 2^31 - 1 nodes in
        // 111 kB (one chunk written, the rest fill value) is refused from its shape instead of being read
        // batch by batch, which took about 10 minutes.
        String population = "    g = f.create_group('nodes/pop/0')\n";
        String xyz = "    for c in 'xyz':\n        g[c] = np.zeros(2)\n";
        Path[] files = {dir.resolve("string-x.h5"), dir.resolve("float-index.h5"), dir.resolve("string-group.h5"),
            dir.resolve("huge.h5")};
        H5py.run("with h5py.File('" + files[0] + "', 'w') as f:\n" + population
                + "    for c in 'xyz':\n        g[c] = np.array([b'a', b'b'])\n"
                + "with h5py.File('" + files[1] + "', 'w') as f:\n" + population + xyz
                + "    g['morphology'] = np.array([0.0, 1.0])\n"
                + "    g['@library/morphology'] = np.array([b'a', b'b'], dtype=h5py.string_dtype())\n"
                + "with h5py.File('" + files[2] + "', 'w') as f:\n" + population + xyz
                + "    f['nodes/pop/node_group_id'] = np.array([b'0', b'0'])\n"
                + "with h5py.File('" + files[3] + "', 'w') as f:\n" + population
                + "    for c in 'xyz':\n"
                + "        g.create_dataset(c, shape=(2**31 - 1,), dtype='f8', chunks=(4096,))[0] = 1\n");
        for (Path file : files) {
            MemmapException e = assertThrows(MemmapException.class, () -> {
                try (NodePopulationReader r = new NodePopulationReader(file, null)) {
                    r.forEach(NodeSelection.all(), n -> { });
                }
            }, file.toString());
            assertEquals(ErrorKind.INVALID_INPUT, e.kind(), e.getMessage());
            assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        }
    }

    @Test
    void libraryTablesThatAreNotAListOfStringsAreInvalidInput(@TempDir Path dir) throws IOException {
        // A 2-D @library/morphology made the reader cast String[][] to String[] (ClassCastException); an
        // empty one (null dataspace) left the table null for the first lookup (NullPointerException).
        String population = "    g = f.create_group('nodes/pop/0')\n"
                + "    for c in 'xyz':\n        g[c] = np.zeros(2)\n"
                + "    g['morphology'] = np.array([0, 1], 'i4')\n";
        Path twoD = dir.resolve("library-2d.h5");
        Path empty = dir.resolve("library-empty.h5");
        H5py.run("with h5py.File('" + twoD + "', 'w') as f:\n" + population
                + "    g['@library/morphology'] = np.array([[b'a', b'b']], dtype=h5py.string_dtype())\n"
                + "with h5py.File('" + empty + "', 'w') as f:\n" + population
                + "    g.create_dataset('@library/morphology', data=h5py.Empty(h5py.string_dtype()))\n");
        for (Path file : new Path[] {twoD, empty}) {
            MemmapException e = assertThrows(MemmapException.class, () -> {
                try (NodePopulationReader r = new NodePopulationReader(file, null)) {
                    r.forEach(NodeSelection.all(), n -> { });
                }
            }, file.toString());
            assertEquals(ErrorKind.INVALID_INPUT, e.kind(), e.getMessage());
            assertTrue(e.getMessage().startsWith(file + ":/nodes/pop/0/@library/morphology"), e.getMessage());
        }
    }

    @Test
    void selectionText() {
        assertEquals(List.of(new NodeSelection.Range(0, 999), new NodeSelection.Range(2000, 2999),
                new NodeSelection.Range(4005, 4005)), NodeSelection.parse("0-999, 2000-2999,4005").ranges());
        assertTrue(NodeSelection.parse(" ").isAll());
        for (String bad : List.of("a-b", "5-3", "1-", "-3")) {
            assertEquals(ErrorKind.INVALID_CONFIG,
                    assertThrows(MemmapException.class, () -> NodeSelection.parse(bad)).kind(), bad);
        }
    }

    @Test
    void placementRotatesThenTranslates() {
        NodePlacement n = new NodePlacement(7, 10, 20, 30, Rotation.fromEuler(0, 0, Math.PI / 2), "m");
        double[] out = new double[3];
        n.place(1, 0, 0, out);
        assertArrayEquals(new double[] {10, 21, 30}, out, 1e-12);
    }
}
