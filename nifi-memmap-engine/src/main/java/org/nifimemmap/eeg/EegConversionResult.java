package org.nifimemmap.eeg;

import java.nio.file.Path;

/**
 * What a conversion produced.
 *
 * @param skipped          true when the output existed and the conflict strategy was IGNORE: nothing was written
 *                         (the recording figures are still filled in from the input)
 * @param replacedExisting true when an existing output was replaced
 * @param fingerprint      {@code crc32c:xxxxxxxx}, the CRC-32C of the whole input file; null when skipped
 * @param format           the format whose metadata described the recording
 * @param gainToUv         microvolts per step when every channel has the same gain, else null
 */
public record EegConversionResult(Path zarrPath, int channels, long samples, double samplingRate,
                                  double durationSeconds, long inputBytes, long outputBytes, boolean skipped,
                                  boolean replacedExisting, String fingerprint,
                                  RecordingFormat format, Double gainToUv) {
}
