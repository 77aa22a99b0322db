package org.nifimemmap.intervals;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nifimemmap.io.ErrorKind;
import org.nifimemmap.io.MemmapException;

class IntervalParserTest {
    @TempDir
    Path dir;

    private static void assertIntervals(IntervalSet set, double[] starts, double[] ends) {
        assertArrayEquals(starts, set.starts(), "starts of " + set);
        assertArrayEquals(ends, set.ends(), "ends of " + set);
    }

    private static MemmapException textError(String text, IntervalFormat format, String expectedFragment) {
        MemmapException e = assertThrows(MemmapException.class, () -> IntervalParser.parse(text, format));
        assertEquals(ErrorKind.INVALID_CONFIG, e.kind());
        assertTrue(e.getMessage().contains(expectedFragment), e.getMessage());
        return e;
    }

    // --- property text ---

    /** Found by fuzzing: errors of pynapple's normalisation did not name the source, and had a file's kind. */
    @Test
    void normalisationErrorNamesTheSourceAndHasItsKind() throws IOException {
        MemmapException text = textError("01 0; 11 2e300", IntervalFormat.TEXT, "Intervals (text): Interval 1: end 2.0E300 s");
        assertTrue(text.getMessage().contains("too large to round"), text.getMessage());
        textError("[[0,1],[1,2e300]]", IntervalFormat.JSON, "Intervals (json): Interval 1");
        Path csv = Files.writeString(dir.resolve("big.csv"), "0,1\n1,2e300\n");
        MemmapException file = assertThrows(MemmapException.class, () -> IntervalParser.parseFile(csv));
        assertEquals(ErrorKind.INVALID_INPUT, file.kind());
        assertTrue(file.getMessage().startsWith(csv + ": Interval 1"), file.getMessage());
    }

    @Test
    void textAcceptsDashesSpacesCommasSemicolonsAndNewlines() {
        double[] s = {0, 20.5, 40, 60};
        double[] e = {10, 30, 50, 70};
        assertIntervals(IntervalParser.parse("0-10, 20.5-30; 40 50\n60 - 70", IntervalFormat.TEXT), s, e);
        assertIntervals(IntervalParser.parse("0 10; 20.5 30\r\n40\t50,\n\n60-70,", IntervalFormat.TEXT), s, e);
    }

    @Test
    void textNegativeTimesCarryTheirOwnSign() {
        assertIntervals(IntervalParser.parse("-1.5--0.5", IntervalFormat.TEXT), new double[] {-1.5}, new double[] {-0.5});
        assertIntervals(IntervalParser.parse("-1.5 - -0.5", IntervalFormat.TEXT), new double[] {-1.5}, new double[] {-0.5});
        assertIntervals(IntervalParser.parse("-2-3", IntervalFormat.TEXT), new double[] {-2}, new double[] {3});
        assertIntervals(IntervalParser.parse("1e-3-2E-3", IntervalFormat.TEXT), new double[] {0.001}, new double[] {0.002});
    }

    @Test
    void textRejectsAmbiguousAndIncompleteIntervalsNamingLineAndColumn() {
        textError("0-10\n1 -2", IntervalFormat.TEXT, "line 2, column 3: ambiguous '1 -2'");
        textError("0,10", IntervalFormat.TEXT, "line 1, column 2: interval '0' needs an end time");
        textError("0-10, 5-x", IntervalFormat.TEXT, "line 1, column 9: expected an end time, found 'x'");
        textError("0-10 12", IntervalFormat.TEXT, "line 1, column 6: unexpected '12'");
        textError("abc", IntervalFormat.TEXT, "line 1, column 1: expected a start time");
        textError("0-1e999", IntervalFormat.TEXT, "not a finite number");
        textError(" \n ", IntervalFormat.TEXT, "no interval given");
    }

    // --- CSV / TSV ---

    @Test
    void csvWithAndWithoutHeader() {
        assertIntervals(IntervalParser.parse("0,10\n20.5,30\n", IntervalFormat.CSV), new double[] {0, 20.5}, new double[] {10, 30});
        assertIntervals(IntervalParser.parse("\uFEFFlabel,End,\"start\"\n\"a, b\",10,0\nx,30,20.5\n", IntervalFormat.CSV),
                new double[] {0, 20.5}, new double[] {10, 30});
        assertIntervals(IntervalParser.parse("start\tend\n# comment\n\n0\t10\n", IntervalFormat.TSV), new double[] {0}, new double[] {10});
    }

    @Test
    void csvErrorsNameLineAndColumn() {
        textError("0,10\n5,abc\n", IntervalFormat.CSV, "line 2, column 3: end 'abc' is not a number");
        textError("0,10,3\n", IntervalFormat.CSV, "line 1, column 6: expected 2 fields");
        textError("from,to\n0,1\n", IntervalFormat.CSV, "line 1, column 1: header [from, to] has no column 'start'");
        textError("start,end\n0,NaN\n", IntervalFormat.CSV, "line 2, column 3: end 'NaN' is not a number");
        textError("start,end,x\n0\n", IntervalFormat.CSV, "line 2");
    }

    // --- JSON ---

    @Test
    void jsonThreeShapes() {
        double[] s = {0, 20.5};
        double[] e = {10, 30};
        assertIntervals(IntervalParser.parse("[[0, 10], [20.5, 30]]", IntervalFormat.JSON), s, e);
        assertIntervals(IntervalParser.parse("[{\"start\": 0, \"end\": 10, \"label\": {\"x\": [1]}}, {\"end\": 30, \"start\": 20.5}]",
                IntervalFormat.JSON), s, e);
        assertIntervals(IntervalParser.parse("{\"start\": [0, 20.5], \"end\": [10, 30], \"rate\": 5}", IntervalFormat.JSON), s, e);
        assertTrue(IntervalParser.parse("[]", IntervalFormat.JSON).isEmpty());
    }

    @Test
    void jsonErrorsNameLineAndColumn() {
        textError("[[0, 10],\n [1, \"2\"]]", IntervalFormat.JSON, "line 2, column 6: end must be a number, found a string");
        textError("[[0, 10, 3]]", IntervalFormat.JSON, "more than two values");
        textError("[{\"start\": 1}]", IntervalFormat.JSON, "line 1, column 2: interval object lacks 'end'");
        textError("{\"start\": [0, 1], \"end\": [2]}", IntervalFormat.JSON, "'start' has 2 values but 'end' has 1");
        textError("[[0, NaN]]", IntervalFormat.JSON, "invalid JSON");
        textError("[[0, 1e999]]", IntervalFormat.JSON, "not a finite number");
        textError("[[0, 1]] x", IntervalFormat.JSON, "line 1");
        textError("5", IntervalFormat.JSON, "expected a list of intervals");
    }

    // --- Neuroscope .evt ---

    @Test
    void neuroscopeEventsAreMillisecondsAlternatingStartAndEnd() throws IOException {
        Path evt = dir.resolve("session.rip.evt");
        Files.writeString(evt, "1000.5 Ripple start\n1200 Ripple end\n\n5000 Ripple start\n5250.25 Ripple end\n");
        IntervalSet set = IntervalParser.parseFile(evt);
        assertIntervals(set, new double[] {1.0005, 5.0}, new double[] {1.2, 5.25025});
        assertEquals(IntervalFormat.NEUROSCOPE_EVT, IntervalParser.detect(dir.resolve("b.evt.py.rip")));
    }

    @Test
    void neuroscopeOddEventCountIsAnError() throws IOException {
        Path evt = dir.resolve("x.evt");
        Files.writeString(evt, "10 start\n20 stop\n30 start\n");
        MemmapException e = assertThrows(MemmapException.class, () -> IntervalParser.parseFile(evt));
        assertEquals(ErrorKind.INVALID_INPUT, e.kind());
        assertTrue(e.getMessage().contains("x.evt line 3, column 1: odd number of events"), e.getMessage());
        Files.writeString(evt, "10ms start\n20 stop\n");
        e = assertThrows(MemmapException.class, () -> IntervalParser.parseFile(evt));
        assertTrue(e.getMessage().contains("line 1, column 1"), e.getMessage());
    }

    // --- pynapple .npz ---

    @Test
    void readsWhatPynappleIntervalSetSaveWrites() throws Exception {
        Path plain = dir.resolve("epochs.npz");
        Path compressed = dir.resolve("epochs_c");
        // The same np.savez call as pynapple's IntervalSet.save (interval_set.py), metadata dict included.
        SystemPython.run("""
                import sys, numpy as np
                start = np.array([0.0, 20.5, 100.25]); end = np.array([10.0, 30.0, 200.125])
                np.savez(sys.argv[1], start=start, end=end, type=np.array(["IntervalSet"], dtype=np.str_), _metadata=dict(label=["a","b","c"]))
                np.savez_compressed(sys.argv[2], start=start, end=end, type=np.array(["IntervalSet"], dtype=np.str_))
                """, "", plain.toString(), compressed.toString());
        Path compressedNpz = dir.resolve("epochs_c.npz");
        Path noExtension = dir.resolve("epochs_sniffed");
        Files.copy(compressedNpz, noExtension);
        for (Path p : new Path[] {plain, compressedNpz, noExtension}) {
            assertIntervals(IntervalParser.parseFile(p), new double[] {0, 20.5, 100.25}, new double[] {10, 30, 200.125});
        }
    }

    @Test
    void npzOfAnotherPynappleTypeIsRejected() throws Exception {
        Path tsd = dir.resolve("tsd.npz");
        SystemPython.run("""
                import sys, numpy as np
                np.savez(sys.argv[1], t=np.arange(3.0), d=np.arange(3.0), start=np.array([0.0]), end=np.array([2.0]),
                         type=np.array(["Tsd"], dtype=np.str_))
                """, "", tsd.toString());
        MemmapException e = assertThrows(MemmapException.class, () -> IntervalParser.parseFile(tsd));
        assertTrue(e.getMessage().contains("type.npy: this .npz holds a pynapple Tsd"), e.getMessage());
    }

    @Test
    void npzHugeDeclaredShapeIsRejectedBeforeAllocating() throws IOException {
        Path bomb = dir.resolve("bomb.npz");
        writeNpz(bomb, npy("<f8", "(1000000000000,)", new double[] {1}), npy("<f8", "(1,)", new double[] {2}));
        MemmapException e = assertThrows(MemmapException.class, () -> IntervalParser.parseFile(bomb));
        assertEquals(ErrorKind.INVALID_INPUT, e.kind());
        assertTrue(e.getMessage().contains("entry start.npy: declares 1000000000000 values"), e.getMessage());
    }

    @Test
    void npzEntrySizeMustMatchItsHeader() throws IOException {
        Path lying = dir.resolve("lying.npz");
        writeNpz(lying, npy("<f8", "(3,)", new double[] {1, 2}), npy("<f8", "(3,)", new double[] {2, 3, 4}));
        MemmapException e = assertThrows(MemmapException.class, () -> IntervalParser.parseFile(lying));
        assertTrue(e.getMessage().contains("entry start.npy: zip entry declares"), e.getMessage());
    }

    @Test
    void npzRejectsNaNAndOtherShapes() throws IOException {
        Path nan = dir.resolve("nan.npz");
        writeNpz(nan, npy("<f8", "(2,)", new double[] {1, Double.NaN}), npy("<f8", "(2,)", new double[] {2, 3}));
        MemmapException e = assertThrows(MemmapException.class, () -> IntervalParser.parseFile(nan));
        assertTrue(e.getMessage().contains("entry start.npy: value 1 is NaN"), e.getMessage());
        Path twoD = dir.resolve("twod.npz");
        writeNpz(twoD, npy("<f8", "(1, 2)", new double[] {1, 2}), npy("<f8", "(2,)", new double[] {2, 3}));
        e = assertThrows(MemmapException.class, () -> IntervalParser.parseFile(twoD));
        assertTrue(e.getMessage().contains("expected a 1-D array"), e.getMessage());
    }

    /** Found by fuzzing: an empty or one-character dtype string threw StringIndexOutOfBoundsException. */
    @Test
    void npzWithAnEmptyDtypeIsRefused() throws IOException {
        for (String descr : new String[] {"", "<"}) {
            Path file = dir.resolve("descr" + descr.length() + ".npz");
            writeNpz(file, npy(descr, "(1,)", new double[] {1}), npy("<f8", "(1,)", new double[] {2}));
            MemmapException e = assertThrows(MemmapException.class, () -> IntervalParser.parseFile(file));
            assertEquals(ErrorKind.INVALID_INPUT, e.kind());
            assertTrue(e.getMessage().contains(file + " entry start.npy") && e.getMessage().contains("unsupported dtype"), e.getMessage());
        }
    }

    // --- files in general ---

    @Test
    void formatIsTakenFromTheNameOrSniffed() throws IOException {
        Path csv = dir.resolve("a.dat");
        Files.writeString(csv, "start,end\n1,2\n");
        assertEquals(IntervalFormat.CSV, IntervalParser.detect(csv));
        Path json = dir.resolve("b.dat");
        Files.writeString(json, " [[1, 2]]");
        assertEquals(IntervalFormat.JSON, IntervalParser.detect(json));
        Path tsv = dir.resolve("c.dat");
        Files.writeString(tsv, "1\t2\n");
        assertEquals(IntervalFormat.TSV, IntervalParser.detect(tsv));
        Path evt = dir.resolve("d.dat");
        Files.writeString(evt, "100 start\n200 end\n");
        assertEquals(IntervalFormat.NEUROSCOPE_EVT, IntervalParser.detect(evt));
        Path text = dir.resolve("e.dat");
        Files.writeString(text, "1 2\n3 4\n");
        assertEquals(IntervalFormat.TEXT, IntervalParser.detect(text));
        assertIntervals(IntervalParser.parseFile(text), new double[] {1, 3}, new double[] {2, 4});
    }

    @Test
    void fileErrorsAreInputErrorsNamingTheFile() throws IOException {
        Path csv = dir.resolve("bad.csv");
        Files.writeString(csv, "0,1\n2;3\n");
        MemmapException e = assertThrows(MemmapException.class, () -> IntervalParser.parseFile(csv));
        assertEquals(ErrorKind.INVALID_INPUT, e.kind());
        assertTrue(e.getMessage().startsWith(csv + " line 2, column"), e.getMessage());
        MemmapException missing = assertThrows(MemmapException.class, () -> IntervalParser.parseFile(dir.resolve("none.csv")));
        assertEquals(ErrorKind.INPUT_NOT_FOUND, missing.kind());
    }

    private static byte[] npy(String descr, String shape, double[] values) {
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
        int total = 10 + dict.length() + 1;
        int pad = (64 - total % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + 8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
        b.putShort((short) header.length());
        b.put(header.getBytes(StandardCharsets.ISO_8859_1));
        for (double v : values) {
            b.putDouble(v);
        }
        return b.array();
    }

    private static void writeNpz(Path file, byte[] start, byte[] end) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("start.npy"));
            zip.write(start);
            zip.closeEntry();
            zip.putNextEntry(new ZipEntry("end.npy"));
            zip.write(end);
            zip.closeEntry();
        }
        Files.write(file, bytes.toByteArray());
    }
}
