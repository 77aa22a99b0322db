package org.nifimemmap.zarr;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One numcodecs codec (a filter or a compressor) of a Zarr v2 array, working on whole chunks held in
 * byte arrays. Instances keep native contexts and scratch space, so they are not thread-safe: each
 * worker thread or buffer slot owns its own (see {@link ChunkPipeline}).
 */
public interface Codec extends AutoCloseable {
    /** The numcodecs configuration written to {@code .zarray}, including {@code "id"}. */
    ObjectNode config();

    /** An upper bound of the encoded size of {@code length} input bytes. */
    int maxEncodedLength(int length);

    /** Encodes {@code src[0, length)} into {@code dst} (at least {@link #maxEncodedLength} long); returns the encoded length. */
    int encode(byte[] src, int length, byte[] dst);

    /**
     * Decodes {@code src[0, length)} into {@code dst[0, decodedLength)}.
     *
     * @throws org.nifimemmap.io.MemmapException INVALID_INPUT when the data is corrupt or does not decode to
     *                                           exactly {@code decodedLength} bytes
     */
    void decode(byte[] src, int length, byte[] dst, int decodedLength);

    /** Frees native compression state; the codec must not be used afterwards. */
    @Override
    default void close() {
    }
}
