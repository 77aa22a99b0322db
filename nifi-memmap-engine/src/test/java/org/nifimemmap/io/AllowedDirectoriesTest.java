package org.nifimemmap.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AllowedDirectoriesTest {
    @TempDir
    Path dir;
    Path allowedRoot;
    Path outside;
    AllowedDirectories allowed;

    @BeforeEach
    void setUp() throws IOException {
        allowedRoot = Files.createDirectory(dir.resolve("lab"));
        outside = Files.createDirectory(dir.resolve("secrets"));
        Files.writeString(outside.resolve("key"), "x");
        Files.writeString(allowedRoot.resolve("rec.dat"), "x");
        allowed = AllowedDirectories.parse(allowedRoot + " , " + dir.resolve("lab"));
    }

    private void assertRefused(Runnable check, String expectedInMessage) {
        MemmapException e = assertThrows(MemmapException.class, check::run);
        assertEquals(ErrorKind.PATH_NOT_ALLOWED, e.kind());
        assertTrue(e.getMessage().contains(expectedInMessage), e.getMessage());
    }

    @Test
    void pathsInsideAreAccepted() {
        allowed.checkInput(allowedRoot.resolve("rec.dat"), "Input File");
        allowed.checkOutput(allowedRoot.resolve("new/out.zarr"), "Output");
        allowed.checkInput(allowedRoot.resolve("sub/../rec.dat"), "Input File");
    }

    @Test
    void dotDotSegmentsCannotClimbOut() {
        assertRefused(() -> allowed.checkInput(allowedRoot.resolve("../secrets/key"), "Input File"), "outside the Allowed Directories");
        assertRefused(() -> allowed.checkOutput(allowedRoot.resolve("../secrets/out.zarr"), "Output"), "secrets");
        assertRefused(() -> allowed.checkOutput(allowedRoot.resolve("missing/../../secrets/x"), "Output"), "secrets");
    }

    @Test
    void symbolicLinksPointingOutsideAreRefused() throws IOException {
        Path fileLink = Files.createSymbolicLink(allowedRoot.resolve("innocent.dat"), outside.resolve("key"));
        Path dirLink = Files.createSymbolicLink(allowedRoot.resolve("data"), outside);
        assertRefused(() -> allowed.checkInput(fileLink, "Input File"), "resolves to");
        assertRefused(() -> allowed.checkOutput(dirLink.resolve("out.zarr"), "Output"), "resolves to");
        assertRefused(() -> allowed.checkOutput(fileLink, "Output"), "resolves to");
        Path dangling = Files.createSymbolicLink(allowedRoot.resolve("dangling"), outside.resolve("not-yet"));
        assertRefused(() -> allowed.checkOutput(dangling, "Output"), "missing target");
    }

    @Test
    void relativePathsAreRefusedWhenRestricted() {
        assertRefused(() -> allowed.checkInput(Path.of("lab/rec.dat"), "Input File"), "relative");
    }

    @Test
    void noDirectoriesMeansNoRestriction() {
        assertFalse(AllowedDirectories.parse(" ").restricted());
        assertEquals(Path.of("../x"), AllowedDirectories.UNRESTRICTED.checkInput(Path.of("../x"), "Input File"));
    }

    @Test
    void badListsAreConfigurationErrors() {
        MemmapException relative = assertThrows(MemmapException.class, () -> AllowedDirectories.parse("data"));
        assertEquals(ErrorKind.INVALID_CONFIG, relative.kind());
        MemmapException missing = assertThrows(MemmapException.class, () -> AllowedDirectories.parse(dir.resolve("nope").toString()));
        assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
    }
}
