package org.nifimemmap.zarr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nifimemmap.io.ErrorKind;
import org.nifimemmap.io.MemmapException;

class CodecRoundTripTest {

    static Stream<Arguments> codecs() {
        return Stream.of(
                Arguments.of("shuffle2", new ShuffleFilter(2)),
                Arguments.of("shuffle8", new ShuffleFilter(8)),
                Arguments.of("zstd", new ZstdCodec(3)),
                Arguments.of("gzip", new GzipCodec(1)),
                Arguments.of("zlib", new ZlibCodec(6)),
                Arguments.of("blosc-lz4-shuffle-2", new BloscCodec("lz4", 5, BloscCodec.SHUFFLE, 0, 2)),
                Arguments.of("blosc-lz4-noshuffle-4", new BloscCodec("lz4", 5, BloscCodec.NOSHUFFLE, 0, 4)),
                Arguments.of("blosc-lz4-smallblocks-8", new BloscCodec("lz4", 5, BloscCodec.SHUFFLE, 1000, 8)),
                Arguments.of("blosc-lz4hc-2", new BloscCodec("lz4hc", 9, BloscCodec.SHUFFLE, 0, 2)),
                Arguments.of("blosc-clevel0-2", new BloscCodec("lz4", 0, BloscCodec.SHUFFLE, 0, 2)));
    }

    /** Smooth int16-like samples (compressible), white noise (not), zeros, and sizes around block edges. */
    static List<byte[]> inputs() {
        Random r = new Random(42);
        byte[] noise = new byte[700_000];
        r.nextBytes(noise);
        byte[] smooth = new byte[1_000_000];
        for (int i = 0; i < smooth.length / 2; i++) {
            short v = (short) (1000 * Math.sin(i / 50.0) + r.nextGaussian() * 20);
            smooth[2 * i] = (byte) v;
            smooth[2 * i + 1] = (byte) (v >> 8);
        }
        return List.of(smooth, noise, new byte[262_144 * 3 + 16], new byte[0], new byte[8], new byte[120],
                Arrays.copyOf(smooth, 128), Arrays.copyOf(noise, 262_144 + 8));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("codecs")
    void encodeThenDecodeGivesTheInputBack(String name, Codec codec) {
        for (byte[] input : inputs()) {
            byte[] encoded = new byte[codec.maxEncodedLength(input.length)];
            int n = codec.encode(input, input.length, encoded);
            assertTrue(n <= encoded.length);
            byte[] decoded = new byte[input.length];
            codec.decode(encoded, n, decoded, input.length);
            assertArrayEquals(input, decoded, name + " with " + input.length + " bytes");
        }
    }

    @Test
    void compressorsShrinkSmoothSignals() {
        byte[] smooth = inputs().get(0);
        for (Codec c : List.of(new ZstdCodec(3), new GzipCodec(1), new BloscCodec("lz4", 5, BloscCodec.SHUFFLE, 0, 2))) {
            int n = c.encode(smooth, smooth.length, new byte[c.maxEncodedLength(smooth.length)]);
            assertTrue(n < smooth.length * 0.8, c.config() + " gave " + n + " of " + smooth.length);
        }
    }

    @Test
    void bloscFallsBackToAPlainCopyForNoise() {
        byte[] noise = inputs().get(1);
        BloscCodec blosc = new BloscCodec("lz4", 5, BloscCodec.SHUFFLE, 0, 2);
        byte[] out = new byte[blosc.maxEncodedLength(noise.length)];
        int n = blosc.encode(noise, noise.length, out);
        assertEquals(noise.length + 16, n);
        assertEquals(0x2, out[2] & 0x2, "memcpyed flag");
    }

    @Test
    void shuffleMovesBytePlanesApartLikeNumcodecs() {
        byte[] in = {1, 2, 3, 4, 5, 6};
        byte[] out = new byte[6];
        new ShuffleFilter(2).encode(in, 6, out);
        assertArrayEquals(new byte[] {1, 3, 5, 2, 4, 6}, out);
    }

    @Test
    void wordWiseTwoByteShuffleMatchesTheByteLoop() {
        byte[] in = new byte[2 * 1003 + 1];
        new Random(5).nextBytes(in);
        byte[] expected = new byte[in.length];
        int count = in.length / 2;
        for (int i = 0; i < count; i++) {
            expected[i] = in[2 * i];
            expected[count + i] = in[2 * i + 1];
        }
        expected[in.length - 1] = in[in.length - 1];
        byte[] out = new byte[in.length];
        ShuffleFilter.shuffle(in, 0, in.length, out, 0, 2);
        assertArrayEquals(expected, out);
        byte[] back = new byte[in.length];
        ShuffleFilter.unshuffle(out, 0, out.length, back, 0, 2);
        assertArrayEquals(in, back);
    }

    @Test
    void corruptDataIsAnInvalidInputError() {
        byte[] smooth = inputs().get(0);
        for (Codec c : List.of(new ZstdCodec(3), new GzipCodec(1), new ZlibCodec(1), new BloscCodec("lz4", 5, BloscCodec.SHUFFLE, 0, 2))) {
            byte[] enc = new byte[c.maxEncodedLength(smooth.length)];
            int n = c.encode(smooth, smooth.length, enc);
            byte[] truncated = Arrays.copyOf(enc, n / 2);
            MemmapException e = assertThrows(MemmapException.class, () -> c.decode(truncated, truncated.length, new byte[smooth.length], smooth.length),
                    c.config().toString());
            assertEquals(ErrorKind.INVALID_INPUT, e.kind());
            assertTrue(e.getMessage().contains("corrupt"), e.getMessage());
            MemmapException wrongSize = assertThrows(MemmapException.class, () -> c.decode(enc, n, new byte[smooth.length + 2], smooth.length + 2));
            assertEquals(ErrorKind.INVALID_INPUT, wrongSize.kind());
        }
    }

    @Test
    void configsAreNumcodecsConfigs() {
        assertEquals("{\"id\":\"zstd\",\"level\":3}", new ZstdCodec(3).config().toString());
        assertEquals("{\"id\":\"shuffle\",\"elementsize\":2}", new ShuffleFilter(2).config().toString());
        assertEquals("{\"id\":\"gzip\",\"level\":1}", new GzipCodec(1).config().toString());
        assertEquals("{\"id\":\"blosc\",\"cname\":\"lz4\",\"clevel\":5,\"shuffle\":1,\"blocksize\":0}",
                new BloscCodec("lz4", 5, BloscCodec.SHUFFLE, 0, 2).config().toString());
        for (Codec c : List.of(new ZstdCodec(3), new ShuffleFilter(4), new GzipCodec(2), new ZlibCodec(3), new BloscCodec("lz4", 5, 1, 0, 2))) {
            assertEquals(c.config(), Codecs.fromConfig(c.config(), 2).config());
        }
        assertThrows(MemmapException.class, () -> Codecs.fromConfig(Json.object().put("id", "lzma"), 2));
    }

    /** Found by fuzzing: a gzip header whose extra field runs past the data threw ArrayIndexOutOfBoundsException. */
    @Test
    void gzipHeaderRunningPastTheDataIsRefused() {
        byte[] frame = new byte[41];
        frame[0] = 0x1f;
        frame[1] = (byte) 0x8b;
        frame[2] = 8;
        frame[3] = 4; // FEXTRA
        frame[10] = (byte) 0x8a; // extra field of 0xc98a bytes in a 41-byte frame
        frame[11] = (byte) 0xc9;
        MemmapException e = assertThrows(MemmapException.class, () -> new GzipCodec(1).decode(frame, frame.length, new byte[24], 24));
        assertEquals(ErrorKind.INVALID_INPUT, e.kind());
        assertTrue(e.getMessage().contains("corrupt gzip data"), e.getMessage());
    }
}
