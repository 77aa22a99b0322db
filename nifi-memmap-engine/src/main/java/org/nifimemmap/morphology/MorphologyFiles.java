package org.nifimemmap.morphology;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.nifimemmap.io.ErrorKind;
import org.nifimemmap.io.FileLimits;
import org.nifimemmap.io.MemmapException;

/** Picks the reader by file extension ({@code .swc}, {@code .asc}, {@code .h5}, any case), as MorphIO does. */
public final class MorphologyFiles {
    private MorphologyFiles() {
    }

    public static Morphology read(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String extension = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
        switch (extension) {
            case "swc", "asc", "h5" -> requireNonEmpty(file);
            default -> throw new MemmapException(ErrorKind.INVALID_INPUT, file + ": unhandled morphology file type '"
                    + extension + "'; only SWC, ASC and H5 are supported");
        }
        return switch (extension) {
            case "swc" -> new SwcReader().read(file);
            case "asc" -> new AscReader().read(file);
            default -> new H5MorphologyReader().read(file);
        };
    }

    /**
     * A missing file is not found; an empty one is refused although MorphIO reads an empty SWC or ASC as
     * a cell without soma or neurites: in a circuit, an empty morphology file is a broken file.
     *
     * @return the file's length
     */
    static long requireNonEmpty(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new MemmapException(ErrorKind.INPUT_NOT_FOUND, file + ": morphology file does not exist");
        }
        try {
            long length = Files.size(file);
            if (length == 0) {
                throw new MemmapException(ErrorKind.INVALID_INPUT, file + ": morphology file is empty (0 bytes)");
            }
            return length;
        } catch (IOException e) {
            throw unreadable(file, e);
        }
    }

    /** Far above any reconstruction (tens of MB at most); a text morphology is read whole into the heap. */
    static final long MAX_TEXT_BYTES = 256L << 20;

    /** A text morphology (SWC, ASC) as one string; ISO-8859-1 maps every byte, as MorphIO reads bytes. */
    static String readText(Path file) {
        try {
            FileLimits.requireAtMost(file, MAX_TEXT_BYTES, file + ": morphology file");
            return Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw unreadable(file, e);
        }
    }

    static MemmapException unreadable(Path file, IOException e) {
        return new MemmapException(ErrorKind.INPUT_UNREADABLE, file + ": cannot read morphology: " + e.getMessage(), e);
    }
}
