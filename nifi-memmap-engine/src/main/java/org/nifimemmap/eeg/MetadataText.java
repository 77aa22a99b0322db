package org.nifimemmap.eeg;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.nifimemmap.io.ErrorKind;
import org.nifimemmap.io.FileLimits;
import org.nifimemmap.io.MemmapException;

/** Reads a small metadata file (SpikeGLX .meta, Open Ephys structure.oebin) whole, after checking its size. */
final class MetadataText {
    private MetadataText() {
    }

    /**
     * The file as UTF-8 text.
     *
     * @param what how errors name the file, e.g. {@code "SpikeGLX metadata"}
     */
    static String read(Path file, long maxBytes, String what) {
        try {
            FileLimits.requireAtMost(file, maxBytes, what + " " + file);
            byte[] bytes = Files.readAllBytes(file);
            // Malformed UTF-8 is refused rather than replaced: a damaged file should not yield plausible names.
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (NoSuchFileException e) {
            throw new MemmapException(ErrorKind.INPUT_NOT_FOUND, what + " not found: " + file, e);
        } catch (CharacterCodingException e) {
            throw new MemmapException(ErrorKind.INVALID_INPUT, what + " " + file + " is not UTF-8 text", e);
        } catch (IOException e) {
            throw new MemmapException(ErrorKind.INPUT_UNREADABLE, "Cannot read " + what + " " + file + ": " + e, e);
        }
    }

    static MemmapException invalid(String what, Path file, String key, String problem) {
        return new MemmapException(ErrorKind.INVALID_INPUT, what + " " + file + ": " + key + " " + problem);
    }
}
