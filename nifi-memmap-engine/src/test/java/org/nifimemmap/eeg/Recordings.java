package org.nifimemmap.eeg;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.nifimemmap.io.ConflictStrategy;
import org.nifimemmap.zarr.Compression;

/** Small synthetic recordings for tests. */
final class Recordings {
    private Recordings() {
    }

    /** Writes {@code header} bytes of 0x5A then {@code samples} frames of noisy sines; returns the file. */
    static Path write(Path file, SampleType type, ByteOrder order, int header, long samples, int channels) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(header + samples * channels * type.bytes())).order(order);
        for (int i = 0; i < header; i++) {
            b.put((byte) 0x5A);
        }
        Random r = new Random(samples * 31 + channels);
        for (long s = 0; s < samples; s++) {
            for (int c = 0; c < channels; c++) {
                double v = 3000 * Math.sin(s / (7.0 + c)) + r.nextGaussian() * 50;
                switch (type) {
                    case INT16 -> b.putShort((short) v);
                    case UINT16 -> b.putShort((short) (v + 32768));
                    case INT32 -> b.putInt((int) (v * 1000));
                    case FLOAT32 -> b.putFloat((float) v);
                    case FLOAT64 -> b.putDouble(v);
                }
            }
        }
        Files.write(file, b.array());
        return file;
    }

    static EegConversionRequest request(Path input, Path output, int channels, SampleType type, ByteOrder order, int header,
                                        int chunkSamples, Compression compression) {
        return new EegConversionRequest(input, output, channels, 20000.0, type, order, header, chunkSamples, compression, -1,
                ConflictStrategy.FAIL);
    }

    /** The samples of a raw file as little-endian bytes, header skipped: what traces_seg0 must hold. */
    static byte[] littleEndianPayload(Path file, SampleType type, ByteOrder order, int header) throws IOException {
        byte[] all = Files.readAllBytes(file);
        byte[] payload = java.util.Arrays.copyOfRange(all, header, all.length);
        if (order == ByteOrder.BIG_ENDIAN) {
            ByteSwap.swap(payload, payload.length, type.bytes());
        }
        return payload;
    }
}
