package org.nifimemmap.processors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.nifi.util.MockFlowFile;
import org.apache.nifi.util.TestRunner;
import org.apache.nifi.util.TestRunners;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Paths from attributes cannot reach outside the operator's Allowed Directories, and output names cannot climb. */
class PathTrustTest {
    @TempDir
    Path dir;
    Path lab;
    Path outside;
    TestRunner runner;

    @BeforeEach
    void setUp() throws IOException {
        lab = Files.createDirectories(dir.resolve("lab/zarr"));
        outside = Files.createDirectory(dir.resolve("elsewhere"));
        Files.write(dir.resolve("lab/rec.dat"), new byte[2 * 2 * 100]);
        Files.write(outside.resolve("private.dat"), new byte[2 * 2 * 100]);
        runner = TestRunners.newTestRunner(ConvertEegToZarr.class);
        runner.setProperty(FileProperties.OUTPUT_DIRECTORY, "${out}");
        runner.setProperty(RecordingProperties.CHANNELS, "2");
        runner.setProperty(RecordingProperties.SAMPLING_RATE, "1000");
        runner.setProperty(FileProperties.ALLOWED_DIRECTORIES, dir.resolve("lab").toString());
    }

    private MockFlowFile run(String inputDir, String name, String out) {
        runner.clearTransferState();
        runner.enqueue("", Map.of("absolute.path", inputDir, "filename", name, "out", out));
        runner.run();
        return runner.getFlowFilesForRelationship(ConvertEegToZarr.REL_SUCCESS).isEmpty()
                ? runner.getFlowFilesForRelationship(ConvertEegToZarr.REL_FAILURE).getFirst()
                : runner.getFlowFilesForRelationship(ConvertEegToZarr.REL_SUCCESS).getFirst();
    }

    private static void assertRefused(MockFlowFile f, String expected) {
        f.assertAttributeEquals("memmap.error.type", "path-not-allowed");
        assertTrue(f.getAttribute("memmap.error.message").contains(expected), f.getAttribute("memmap.error.message"));
    }

    private long entries(Path p) throws IOException {
        try (Stream<Path> s = Files.list(p)) {
            return s.count();
        }
    }

    @Test
    void insideTheAllowedDirectoriesWorks() {
        MockFlowFile f = run(dir.resolve("lab").toString(), "rec.dat", lab.toString());
        f.assertAttributeExists("zarr.path");
    }

    @Test
    void dotDotInAnAttributeIsRefused() throws IOException {
        assertRefused(run(dir.resolve("lab/../elsewhere").toString(), "private.dat", lab.toString()), "outside the Allowed Directories");
        assertRefused(run(dir.resolve("lab").toString(), "rec.dat", lab + "/../../elsewhere"), "outside the Allowed Directories");
        assertEquals(0, entries(outside.getParent().resolve("elsewhere")) - 1, "nothing written outside");
    }

    @Test
    void symbolicLinkOutIsRefused() throws IOException {
        Files.createSymbolicLink(dir.resolve("lab/shortcut.dat"), outside.resolve("private.dat"));
        assertRefused(run(dir.resolve("lab").toString(), "shortcut.dat", lab.toString()), "resolves to");
    }

    @Test
    void relativePathIsRefused() {
        assertRefused(run("lab", "rec.dat", lab.toString()), "relative");
    }

    @Test
    void outputNameCannotClimbEvenWithoutRestriction() {
        runner.removeProperty(FileProperties.ALLOWED_DIRECTORIES);
        runner.setProperty(ConvertEegToZarr.OUTPUT_NAME, "../../escaped.zarr");
        assertRefused(run(dir.resolve("lab").toString(), "rec.dat", lab.toString()), "not a plain file name");
    }

    @Test
    void allowedDirectoriesMustExist() {
        runner.setProperty(FileProperties.ALLOWED_DIRECTORIES, dir.resolve("missing").toString());
        runner.assertNotValid();
        runner.setProperty(FileProperties.ALLOWED_DIRECTORIES, "relative/dir");
        runner.assertNotValid();
    }
}
