package org.nifimemmap.eeg;

import java.nio.file.Files;
import java.nio.file.Path;
import org.nifimemmap.io.ErrorKind;
import org.nifimemmap.io.MemmapException;

/**
 * A recording's layout as its metadata file gives it.
 *
 * @param format       the format that described the recording (never AUTO)
 * @param metadataFile the file read, or null for {@link RecordingFormat#RAW}
 * @param data         the raw interleaved samples
 * @param channels     channel count, or null when the metadata does not give it
 * @param samplingRate samples per second, or null when the metadata does not give it
 * @param dataBytes    the data file's size the metadata promises, or null
 * @param sampleType   the sample type the format fixes, or null when the request says
 * @param tStart       time of the first sample in seconds on the recording's clock ({@code t_starts})
 */
public record RecordingMetadata(RecordingFormat format, Path metadataFile, Path data, Integer channels, Double samplingRate,
                                Long dataBytes, SampleType sampleType, double tStart, ChannelTable table) {

    static RecordingMetadata raw(Path data) {
        return new RecordingMetadata(RecordingFormat.RAW, null, data, null, null, null, null, 0.0, ChannelTable.NONE);
    }

    /**
     * Reads the metadata of {@code input} in {@code format}. AUTO picks, in this order: Open Ephys when the input is a
     * {@code structure.oebin} or a {@code continuous/<stream>/continuous.dat} below one; SpikeGLX when {@code <name>.meta}
     * sits beside it; Neuroscope when {@code <name>.xml} does; else raw.
     *
     * @param stream the Open Ephys stream wanted, or null
     */
    public static RecordingMetadata of(Path input, RecordingFormat format, String stream) {
        boolean oebin = input.getFileName().toString().equals(OpenEphysStructure.FILE_NAME);
        Path structure = oebin ? input : OpenEphysStructure.structureOf(input);
        RecordingFormat chosen = format;
        if (format == RecordingFormat.AUTO) {
            if (structure != null && Files.isRegularFile(structure)) {
                chosen = RecordingFormat.OPENEPHYS;
            } else if (Files.isRegularFile(SpikeGlxMeta.metaBeside(input))) {
                chosen = RecordingFormat.SPIKEGLX;
            } else if (Files.isRegularFile(NeuroscopeParameters.xmlBeside(input))) {
                chosen = RecordingFormat.NEUROSCOPE;
            } else {
                chosen = RecordingFormat.RAW;
            }
        }
        return switch (chosen) {
            case OPENEPHYS -> openEphys(input, oebin, structure, stream);
            case SPIKEGLX -> SpikeGlxMeta.parse(SpikeGlxMeta.metaBeside(input)).describe(input);
            case NEUROSCOPE -> NeuroscopeParameters.parse(NeuroscopeParameters.xmlBeside(input)).describe(input);
            default -> raw(input);
        };
    }

    private static RecordingMetadata openEphys(Path input, boolean oebin, Path structure, String stream) {
        if (structure == null) {
            throw new MemmapException(ErrorKind.INVALID_CONFIG, "Open Ephys input " + input + " is neither a "
                    + OpenEphysStructure.FILE_NAME + " nor a continuous/<stream>/continuous.dat below one");
        }
        OpenEphysStructure parsed = OpenEphysStructure.parse(structure);
        if (oebin) {
            return parsed.describe(parsed.stream(stream));
        }
        String folder = input.toAbsolutePath().getParent().getFileName().toString();
        if (stream != null && !parsed.stream(stream).name().equals(folder)) {
            throw new MemmapException(ErrorKind.INVALID_CONFIG, "Stream Name '" + stream + "' names another stream than the input "
                    + input + " (stream " + folder + ")");
        }
        return parsed.describe(parsed.stream(folder));
    }
}
