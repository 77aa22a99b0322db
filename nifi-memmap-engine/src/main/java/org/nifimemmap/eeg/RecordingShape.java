package org.nifimemmap.eeg;

import java.nio.file.Path;
import java.util.Optional;
import org.nifimemmap.io.ErrorKind;
import org.nifimemmap.io.MemmapException;

/**
 * Channels, rate, sample count and chunking of one recording, from the request or the Neuroscope XML,
 * checked against the input's size.
 *
 * @param parametersFrom "request" or the path of the XML that gave channels or rate
 */
record RecordingShape(int channels, double samplingRate, long samples, int frameBytes, int chunkSamples, String parametersFrom) {

    static RecordingShape of(EegConversionRequest request, Path input, long inputBytes) {
        Integer channels = request.channels();
        Double rate = request.samplingRate();
        String from = "request";
        if (channels == null || rate == null) {
            Optional<NeuroscopeParameters> xml = NeuroscopeParameters.besideRecording(input);
            if (xml.isEmpty()) {
                throw new MemmapException(ErrorKind.INVALID_CONFIG, "No " + (channels == null ? "channel count" : "sampling rate")
                        + " given for " + input + " and no Neuroscope parameter file at " + NeuroscopeParameters.xmlBeside(input));
            }
            from = xml.get().file().toString();
            if (channels == null) {
                channels = xml.get().channels();
            }
            if (rate == null) {
                rate = xml.get().samplingRateFor(input);
            }
        }
        String where = "request".equals(from) ? "" : " (from " + from + ")";
        if (channels <= 0 || channels > EegConverter.MAX_CHANNELS) {
            throw new MemmapException(ErrorKind.INVALID_CONFIG, "Channel count " + channels + where + " for " + input
                    + " is outside 1.." + EegConverter.MAX_CHANNELS);
        }
        if (!(rate > 0) || Double.isInfinite(rate)) {
            throw new MemmapException(ErrorKind.INVALID_CONFIG, "Sampling rate " + rate + where + " for " + input
                    + " must be a positive finite number of samples per second");
        }
        long header = request.headerBytes();
        if (header < 0) {
            throw new MemmapException(ErrorKind.INVALID_CONFIG, "Header bytes must not be negative: " + header);
        }
        if (header >= inputBytes) {
            throw new MemmapException(header > inputBytes ? ErrorKind.INVALID_CONFIG : ErrorKind.INVALID_INPUT,
                    "Header of " + header + " bytes " + (header > inputBytes ? "is larger than" : "leaves no samples in")
                            + " recording " + input + " of " + inputBytes + " bytes");
        }
        int frameBytes = channels * request.sampleType().bytes();
        long payload = inputBytes - header;
        long leftover = payload % frameBytes;
        if (leftover != 0) {
            throw new MemmapException(ErrorKind.INVALID_INPUT, "Recording " + input + " holds " + payload + " bytes after its "
                    + header + "-byte header, not a whole number of frames of " + channels + " channels x "
                    + request.sampleType().bytes() + " bytes (" + frameBytes + " bytes): " + leftover
                    + " bytes left over. Check the channel count, sample type and header size.");
        }
        long samples = payload / frameBytes;
        int chunkSamples = request.chunkSamples();
        if (chunkSamples < 0) {
            throw new MemmapException(ErrorKind.INVALID_CONFIG, "Chunk samples must be positive, or 0 for the default: " + chunkSamples);
        }
        if (chunkSamples == 0) {
            chunkSamples = Math.max(1, EegConverter.DEFAULT_CHUNK_BYTES / frameBytes);
        }
        if ((long) chunkSamples * frameBytes > EegConverter.MAX_CHUNK_BYTES) {
            throw new MemmapException(ErrorKind.INVALID_CONFIG, "Chunks of " + chunkSamples + " samples x " + frameBytes
                    + " bytes per frame exceed " + (EegConverter.MAX_CHUNK_BYTES >> 20) + " MiB");
        }
        // A chunk longer than the recording would only add padding.
        chunkSamples = (int) Math.min(chunkSamples, samples);
        return new RecordingShape(channels, rate, samples, frameBytes, chunkSamples, from);
    }

    EegConversionResult result(Path zarr, long inputBytes, long outputBytes, boolean skipped, boolean replaced, String fingerprint) {
        return new EegConversionResult(zarr, channels, samples, samplingRate, samples / samplingRate, inputBytes, outputBytes,
                skipped, replaced, fingerprint);
    }
}
