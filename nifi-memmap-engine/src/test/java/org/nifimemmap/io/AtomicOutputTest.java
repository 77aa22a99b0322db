package org.nifimemmap.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicOutputTest {
    @TempDir
    Path dir;

    private long entries() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        }
    }

    @Test
    void commitMovesDirectoryIntoPlaceAndLeavesNoTemporary() throws IOException {
        Path target = dir.resolve("out.zarr");
        try (AtomicOutput out = AtomicOutput.begin(target, ConflictStrategy.FAIL)) {
            Files.createDirectory(out.temporary());
            Files.writeString(out.temporary().resolve("a"), "new");
            assertFalse(Files.exists(target));
            out.commit();
        }
        assertEquals("new", Files.readString(target.resolve("a")));
        assertEquals(1, entries());
    }

    @Test
    void closeWithoutCommitRemovesTemporary() throws IOException {
        Path target = dir.resolve("out.zarr");
        try (AtomicOutput out = AtomicOutput.begin(target, ConflictStrategy.FAIL)) {
            Files.createDirectories(out.temporary().resolve("x/y"));
            Files.writeString(out.temporary().resolve("x/y/z"), "half");
        }
        assertEquals(0, entries());
    }

    /**
     * A force started early (a node building its next partition meanwhile) changes nothing of what is committed:
     * files written after it began are kept, and an output never committed is still removed.
     */
    @Test
    void forcingInTheBackgroundKeepsCommitAndCleanUpAsTheyWere() throws IOException {
        Path target = dir.resolve("part-0");
        try (AtomicOutput out = AtomicOutput.begin(target, ConflictStrategy.FAIL)) {
            Files.createDirectory(out.temporary());
            Files.writeString(out.temporary().resolve("index"), "records");
            out.forceInBackground();
            Files.writeString(out.temporary().resolve("manifest.json"), "{}");
            out.commit();
        }
        assertEquals("records", Files.readString(target.resolve("index")));
        assertEquals("{}", Files.readString(target.resolve("manifest.json")));
        try (AtomicOutput out = AtomicOutput.begin(dir.resolve("part-1"), ConflictStrategy.FAIL)) {
            Files.createDirectory(out.temporary());
            Files.writeString(out.temporary().resolve("index"), "half");
            out.forceInBackground();
        }
        assertEquals(1, entries());
    }

    @Test
    void failStrategyRefusesExistingOutput() throws IOException {
        Path target = Files.writeString(dir.resolve("out.bin"), "old");
        MemmapException e = assertThrows(MemmapException.class, () -> AtomicOutput.begin(target, ConflictStrategy.FAIL));
        assertEquals(ErrorKind.OUTPUT_EXISTS, e.kind());
        assertEquals("old", Files.readString(target));
    }

    @Test
    void ignoreStrategySkipsExistingOutput() throws IOException {
        Path target = Files.writeString(dir.resolve("out.bin"), "old");
        try (AtomicOutput out = AtomicOutput.begin(target, ConflictStrategy.IGNORE)) {
            assertTrue(out.skipped());
        }
        assertEquals("old", Files.readString(target));
    }

    @Test
    void replaceStrategySwapsWholeDirectory() throws IOException {
        Path target = Files.createDirectory(dir.resolve("out.zarr"));
        Files.writeString(target.resolve("stale"), "old");
        try (AtomicOutput out = AtomicOutput.begin(target, ConflictStrategy.REPLACE)) {
            Files.createDirectory(out.temporary());
            Files.writeString(out.temporary().resolve("fresh"), "new");
            out.commit();
            assertTrue(out.replacedExisting());
        }
        assertFalse(Files.exists(target.resolve("stale")));
        assertEquals("new", Files.readString(target.resolve("fresh")));
        assertEquals(1, entries());
    }

    @Test
    void missingParentIsAClearError() {
        MemmapException e = assertThrows(MemmapException.class,
                () -> AtomicOutput.begin(dir.resolve("nope/out.zarr"), ConflictStrategy.FAIL));
        assertEquals(ErrorKind.OUTPUT_UNWRITABLE, e.kind());
        assertTrue(e.getMessage().contains("does not exist"));
    }

    @Test
    void temporariesOfDeadProcessesOnThisHostAreRemovedByTheNextWriter() throws IOException {
        Path target = dir.resolve("out.zarr");
        Path live;
        try (AtomicOutput out = AtomicOutput.begin(target, ConflictStrategy.FAIL)) {
            live = out.temporary();
        }
        String name = live.getFileName().toString();
        // Same host, a pid that cannot be running (pids are below 2^22 on Linux).
        String dead = name.replaceFirst("-\\d+-([0-9a-f-]{36})$", "-99999999-$1");
        Path stale = Files.createDirectories(dir.resolve(dead).resolve("traces_seg0"));
        Path otherHost = Files.createDirectory(dir.resolve(".out.zarr.tmp-elsewhere-1-" + java.util.UUID.randomUUID()));
        Path ours = Files.createDirectory(live);
        try (AtomicOutput out = AtomicOutput.begin(target, ConflictStrategy.FAIL)) {
            assertFalse(Files.exists(stale), "a dead process's temporary is removed");
            assertTrue(Files.exists(otherHost), "another host's temporary may belong to a live writer: kept");
            assertTrue(Files.exists(ours), "this live process's temporary is kept");
        }
    }
}
