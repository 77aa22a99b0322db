package org.nifimemmap.stateless;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.SplittableRandom;

/**
 * Writes a raw interleaved int16 recording that looks like extracellular data to a codec: theta and gamma
 * rhythms shared across channels with per-channel phase, 1/f-like background (sum of leaky integrators),
 * white noise and sparse spikes. Zeros or pure noise would make compression figures meaningless.
 */
public final class SyntheticRecording {
    private SyntheticRecording() {
    }

    public static void write(Path file, int channels, double rate, long samples, long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        double[] phase = new double[channels];
        double[] slow = new double[channels];
        double[] mid = new double[channels];
        for (int c = 0; c < channels; c++) {
            phase[c] = random.nextDouble() * 0.6;
        }
        double slowKeep = Math.exp(-2 * Math.PI * 2 / rate);
        double midKeep = Math.exp(-2 * Math.PI * 30 / rate);
        int block = 8192;
        ByteBuffer buffer = ByteBuffer.allocateDirect(block * channels * 2).order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            int spikeLeft = 0;
            int spikeChannel = 0;
            for (long i = 0; i < samples; i++) {
                double t = i / rate;
                double theta = 300 * Math.sin(2 * Math.PI * 8 * t);
                double gamma = 80 * Math.sin(2 * Math.PI * 40 * t);
                if (spikeLeft == 0 && random.nextDouble() < 20 / rate) {
                    spikeLeft = Math.max(2, (int) (rate / 1000));
                    spikeChannel = random.nextInt(channels);
                }
                for (int c = 0; c < channels; c++) {
                    slow[c] = slowKeep * slow[c] + random.nextGaussian() * 40;
                    mid[c] = midKeep * mid[c] + random.nextGaussian() * 25;
                    double v = theta * Math.cos(phase[c]) + gamma * Math.sin(phase[c] * 3) + 0.05 * slow[c] + mid[c]
                            + random.nextGaussian() * 12;
                    if (spikeLeft > 0 && Math.abs(c - spikeChannel) < 3) {
                        v -= 400;
                    }
                    buffer.putShort((short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(v))));
                }
                if (spikeLeft > 0) {
                    spikeLeft--;
                }
                if (!buffer.hasRemaining()) {
                    buffer.flip();
                    while (buffer.hasRemaining()) {
                        out.write(buffer);
                    }
                    buffer.clear();
                }
            }
            buffer.flip();
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
        }
    }
}
