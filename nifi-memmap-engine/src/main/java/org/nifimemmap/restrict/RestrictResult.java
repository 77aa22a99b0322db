package org.nifimemmap.restrict;

import java.nio.file.Path;
import java.util.List;

/**
 * What a restriction produced.
 *
 * @param output          the output written (or left alone when {@code skipped})
 * @param intervalsGiven  intervals in the normalised set
 * @param intervalsKept   intervals that kept at least one sample (= output segments)
 * @param samplesKept     samples kept per channel, all segments together
 * @param bytesRead       bytes read from the input's sample data (compressed chunk files, or raw bytes)
 * @param bytesWritten    bytes written, metadata included
 * @param notes           what interval normalisation changed, and anything else worth telling the user
 * @param empty           true when no sample fell inside any interval (a valid result: the output holds no segment)
 * @param skipped         true when the output existed and the conflict strategy is IGNORE
 */
public record RestrictResult(Path output, int intervalsGiven, int intervalsKept, long samplesKept, long bytesRead,
                             long bytesWritten, List<String> notes, boolean empty, boolean skipped) {
    public RestrictResult {
        notes = List.copyOf(notes);
    }
}
