package org.nifimemmap.index;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.nifimemmap.io.AtomicOutput;
import org.nifimemmap.io.ConflictStrategy;

/**
 * A query result too large for a FlowFile's content, written to a file that appears whole or not at all
 * ({@link AtomicOutput}: built in a hidden sibling, synced, renamed into place).
 */
public final class ResultsFile {
    /** Writes a result's lines; returns how many elements (or groups) it wrote. */
    @FunctionalInterface
    public interface Lines {
        long writeTo(Writer out);
    }

    public enum Outcome { CREATED, REPLACED, IGNORED }

    public record Written(Path path, Outcome outcome) {
    }

    private ResultsFile() {
    }

    /** Writes {@code lines} as UTF-8 to {@code target}; with IGNORE and an existing target, writes nothing. */
    public static Written write(Path target, ConflictStrategy conflict, Lines lines) {
        try (AtomicOutput out = AtomicOutput.begin(target, conflict)) {
            if (out.skipped()) {
                return new Written(out.target(), Outcome.IGNORED);
            }
            try (Writer w = Files.newBufferedWriter(out.temporary(), StandardCharsets.UTF_8)) {
                lines.writeTo(w);
            }
            boolean placed = out.commit();
            return new Written(out.target(), !placed ? Outcome.IGNORED : out.replacedExisting() ? Outcome.REPLACED : Outcome.CREATED);
        } catch (IOException | UncheckedIOException e) {
            throw AtomicOutput.writeFailure(target, e instanceof UncheckedIOException u ? u.getCause() : (IOException) e);
        }
    }
}
