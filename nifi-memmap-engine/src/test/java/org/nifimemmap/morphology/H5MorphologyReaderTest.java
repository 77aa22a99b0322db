package org.nifimemmap.morphology;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.nifimemmap.morphology.MorphologyAssertions.assertPoints;
import static org.nifimemmap.morphology.MorphologyAssertions.assertSimpleCell;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nifimemmap.io.ErrorKind;
import org.nifimemmap.io.MemmapException;

/** Expectations from MorphIO's tests/test_3_h5.py and tests/test_morphology_readers.cpp, per test. */
class H5MorphologyReaderTest {
    private static Morphology file(String name) {
        return new H5MorphologyReader().read(Fixtures.morphio("h5/" + name));
    }

    private static String rejected(String name) {
        MemmapException e = assertThrows(MemmapException.class, () -> file(name));
        assertTrue(e.getMessage().contains(name), e.getMessage());
        return e.getMessage();
    }

    @Test
    void neuronV10() {
        // test_v1
        Morphology m = file("v1/Neuron.h5");
        assertEquals(84, m.sections().size());
        assertEquals(3, m.soma().pointCount());
        assertEquals(SomaType.SIMPLE_CONTOUR, m.soma().type());
        assertEquals(924, m.pointCount());
        int[] expectedTypes = new int[84];
        Arrays.fill(expectedTypes, 0, 21, 4);
        Arrays.fill(expectedTypes, 21, 63, 3);
        Arrays.fill(expectedTypes, 63, 84, 2);
        assertArrayEquals(expectedTypes, MorphologyAssertions.types(m.sections()));
        float[] first = Arrays.copyOf(m.sections().get(0).points(), 9);
        assertPoints(new float[][] {{0, 0, 0}, {0, 0, 0.10000000149011612f},
                {0.5529246926307678f, -0.7534923553466797f, 0.9035181403160095f}}, first);
    }

    @Test
    void simpleV13AndSomaVariants() {
        // test_v1 simple.h5, LoadH5Morphology
        Morphology simple = file("v1/simple.h5");
        assertSimpleCell(simple);
        assertEquals(4, simple.soma().pointCount());
        assertEquals(12, simple.pointCount());
        Morphology twoPoint = file("v1/simple-two-point-soma.h5");
        assertEquals(2, twoPoint.soma().pointCount());
        assertEquals(SomaType.UNDEFINED, twoPoint.soma().type());
        assertEquals(12, twoPoint.pointCount());
        Morphology noSoma = file("v1/Neuron-no-soma.h5");
        assertEquals(0, noSoma.soma().pointCount());
        assertEquals(SomaType.UNDEFINED, noSoma.soma().type());
        assertEquals(924, noSoma.pointCount());
        // test_soma_no_neurite
        Morphology somaOnly = file("v1/soma_no_neurites.h5");
        assertPoints(new float[][] {{0, 0, 0}, {1, 0, 0}, {0, 25, 0}}, somaOnly.soma().points());
        assertArrayEquals(new float[] {6, 6, 15}, somaOnly.soma().diameters());
        assertEquals(0, somaOnly.sections().size());
        // LoadH5MorphologySingleNeurite
        Morphology single = file("v1/single-neurite.h5");
        assertEquals(0, single.soma().pointCount());
        assertEquals(3, single.pointCount());
        assertEquals(4f, single.sections().get(0).points()[0], 1e-4f);
    }

    @Test
    void containerEntryReadsLikeTheStandaloneFile() {
        // LoadMergedMorphology: one morphology of a container, by group name
        Morphology entry = new H5MorphologyReader().read(Fixtures.morphio("h5/v1/merged.h5"), "simple");
        assertSimpleCell(entry);
        assertTrue(entry.source().endsWith("merged.h5:/simple"));
        MemmapException missing = assertThrows(MemmapException.class,
                () -> new H5MorphologyReader().read(Fixtures.morphio("h5/v1/merged.h5"), "absent"));
        assertTrue(missing.getMessage().contains("absent"));
    }

    @Test
    void invalidFilesAreRejectedWithTheirName() {
        // LoadH5Morphology: single-point soma, invalid, h5v2, empty, shapes, soma structure, types
        assertTrue(rejected("v1/simple-single-point-soma.h5").contains("single point"));
        assertTrue(rejected("v2/Neuron.h5").contains("h5v2 is no longer supported"));
        assertTrue(rejected("empty.h5").contains("Missing points or structure"));
        assertTrue(rejected("v1/incorrect_point_columns.h5").contains("columns"));
        assertTrue(rejected("v1/incorrect_structure_columns.h5").contains("structure"));
        assertTrue(rejected("v1/three-point-soma-two-offset.h5").contains("multiple soma"));
        assertTrue(rejected("v1/unknown_section_type_structure.h5").contains("Unsupported section type: 0"));
        // test_wrong_section_type
        assertTrue(rejected("v1/simple-negative-section-type.h5").contains("Unsupported section type: -2"));
        MemmapException empty = assertThrows(MemmapException.class, () -> file("non-valid.h5"));
        assertEquals(ErrorKind.INVALID_INPUT, empty.kind());
        assertTrue(empty.getMessage().contains("non-valid.h5"));
    }

    @Test
    void libraryFailureOnCorruptStructureIsInvalidInputNamingTheFile(@TempDir Path dir) throws IOException {
        // Fuzzing finding: jhdf threw ArithmeticException for a driver-info address with the top bit set.
        byte[] bytes = Files.readAllBytes(Fixtures.morphio("h5/v1/simple.h5"));
        byte[] address = {0, 0, 0, 0, 0, 0x10, 0x30, (byte) 0xff};
        System.arraycopy(address, 0, bytes, 0x30, address.length);
        Path corrupt = Files.write(dir.resolve("corrupt.h5"), bytes);
        MemmapException e = assertThrows(MemmapException.class, () -> new H5MorphologyReader().read(corrupt));
        assertEquals(ErrorKind.INVALID_INPUT, e.kind());
        assertTrue(e.getMessage().startsWith(corrupt + ": not a readable HDF5 file: ArithmeticException"),
                e.getMessage());
    }

    @Test
    void corruptHeaderLengthIsRefusedNotAnOutOfMemoryError(@TempDir Path dir) throws IOException {
        // Fuzzing finding: jhdf allocates an object header buffer of the length the file declares (here
        // 2^31 - 1 bytes for the root group) before reading it.
        byte[] bytes = Files.readAllBytes(Fixtures.morphio("h5/v1/simple.h5"));
        byte[] length = {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f};
        System.arraycopy(length, 0, bytes, 0x68, length.length);
        Path corrupt = Files.write(dir.resolve("huge-header.h5"), bytes);
        MemmapException e = assertThrows(MemmapException.class, () -> new H5MorphologyReader().read(corrupt));
        assertEquals(ErrorKind.INVALID_INPUT, e.kind());
        assertTrue(e.getMessage().startsWith(corrupt + ": not a readable HDF5 file: it declares a structure too large"),
                e.getMessage());
    }

    @Test
    void datasetShapeBeyondWhatTheFileCanHoldIsRefusedBeforeReading(@TempDir Path dir) throws IOException {
        // /points declares 2^31 - 1 rows in a 10 kB file: refused from the shape, nothing allocated.
        Path h5 = dir.resolve("huge-points.h5");
        H5py.run("with h5py.File('" + h5 + "', 'w') as f:\n"
                + "    f.create_dataset('points', shape=(2**31 - 1, 4), dtype='f4', chunks=(1024, 4))\n"
                + "    f['structure'] = [[0, 1, -1]]\n");
        MemmapException e = assertThrows(MemmapException.class, () -> new H5MorphologyReader().read(h5));
        assertEquals(ErrorKind.INVALID_INPUT, e.kind());
        assertTrue(e.getMessage().contains(h5 + ":/points declares shape [2147483647, 4]"), e.getMessage());
    }

    @Test
    void nonIntegerStructureOrVersionIsInvalidInput(@TempDir Path dir) throws IOException {
        // MorphIO's HDF5 reads convert; jhdf returns the stored type, which our integer conversion refused
        // with an IllegalArgumentException that escaped the reader.
        Path floats = dir.resolve("float-structure.h5");
        Path version = dir.resolve("float-version.h5");
        Path huge = dir.resolve("uint64-structure.h5");
        H5py.run("with h5py.File('" + floats + "', 'w') as f:\n"
                + "    f['points'] = np.zeros((2, 4), 'f4')\n"
                + "    f['structure'] = np.array([[0, 2, -1]], 'f8')\n"
                + "with h5py.File('" + version + "', 'w') as f:\n"
                + "    f['points'] = np.zeros((2, 4), 'f4')\n"
                + "    f['structure'] = np.array([[0, 2, -1]], 'i4')\n"
                + "    f.create_group('metadata').attrs['version'] = np.array([1.0, 1.0])\n"
                + "with h5py.File('" + huge + "', 'w') as f:\n"
                + "    f['points'] = np.zeros((2, 4), 'f4')\n"
                + "    f['structure'] = np.array([[2**63, 2, 0]], 'u8')\n");
        for (Path file : new Path[] {floats, version, huge}) {
            MemmapException e = assertThrows(MemmapException.class, () -> new H5MorphologyReader().read(file));
            assertEquals(ErrorKind.INVALID_INPUT, e.kind());
            assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        }
    }

    @Test
    void emptyVersionAttributeIsInvalidInput(@TempDir Path dir) throws IOException {
        // jhdf returns null for an attribute with a null dataspace; the integer conversion threw a
        // NullPointerException that escaped the reader.
        Path file = dir.resolve("empty-version.h5");
        H5py.run("with h5py.File('" + file + "', 'w') as f:\n"
                + "    f['points'] = np.zeros((2, 4), 'f4')\n"
                + "    f['structure'] = np.array([[0, 2, -1]], 'i4')\n"
                + "    m = f.create_group('metadata')\n"
                + "    m.attrs['version'] = h5py.Empty('i4')\n"
                + "    m.attrs['cell_family'] = 0\n");
        MemmapException e = assertThrows(MemmapException.class, () -> new H5MorphologyReader().read(file));
        assertEquals(ErrorKind.INVALID_INPUT, e.kind());
        assertTrue(e.getMessage().startsWith(file + ": metadata/version does not hold the numbers expected: "
                + "it holds no data"), e.getMessage());
    }

    @Test
    void truncatedFileIsRefusedNotReadAsWrongPoints(@TempDir Path dir) throws IOException {
        // jhdf 0.13.0 read the missing tail of /points (bytes 3164..32828) as a second copy of the bytes
        // before the end, and the reader returned 924 points with garbage coordinates.
        byte[] whole = Files.readAllBytes(Fixtures.morphio("h5/v1/Neuron.h5"));
        Path truncated = Files.write(dir.resolve("truncated.h5"), Arrays.copyOf(whole, 20_000));
        MemmapException e = assertThrows(MemmapException.class, () -> new H5MorphologyReader().read(truncated));
        assertEquals(ErrorKind.INVALID_INPUT, e.kind());
        assertEquals(truncated + ": truncated HDF5 file: its superblock records 32828 bytes, the file has 20000",
                e.getMessage());
    }

    @Test
    void contiguousDataOutsideTheFileIsRefused(@TempDir Path dir) throws IOException {
        // Neuron.h5 keeps /points contiguous at byte 3164 and /structure at 2144; the file ends right
        // after the points. Grow the recorded end of file and the file by one byte, then move the
        // structure's data address (found by value in its layout message) past the end.
        byte[] whole = Files.readAllBytes(Fixtures.morphio("h5/v1/Neuron.h5"));
        byte[] bytes = Arrays.copyOf(whole, whole.length + 1);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        assertEquals(whole.length, b.getLong(0x28));
        b.putLong(0x28, bytes.length);
        int moved = 0;
        for (int i = 0x60; i + 8 <= whole.length && moved == 0; i++) {
            if (b.getLong(i) == 2144 && b.getLong(i + 8) == 1020) {
                b.putLong(i, bytes.length - 100);
                moved++;
            }
        }
        assertEquals(1, moved);
        Path corrupt = Files.write(dir.resolve("outside.h5"), bytes);
        MemmapException e = assertThrows(MemmapException.class, () -> new H5MorphologyReader().read(corrupt));
        assertTrue(e.getMessage().startsWith(corrupt + ":/structure data at bytes 32729..33749 lies outside the file"),
                e.getMessage());
    }

    @Test
    void dispatchByExtension() {
        MemmapException unknown = assertThrows(MemmapException.class,
                () -> MorphologyFiles.read(Fixtures.morphio("simple.unknown")));
        assertTrue(unknown.getMessage().contains("unhandled morphology file type 'unknown'"));
        MemmapException missing = assertThrows(MemmapException.class,
                () -> MorphologyFiles.read(Path.of("/nonexistent/cell.swc")));
        assertEquals(ErrorKind.INPUT_NOT_FOUND, missing.kind());
        assertSimpleCell(MorphologyFiles.read(Fixtures.morphio("h5/v1/simple.h5")));
    }
}
