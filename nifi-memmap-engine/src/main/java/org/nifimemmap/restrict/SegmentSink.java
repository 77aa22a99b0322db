package org.nifimemmap.restrict;

import java.io.IOException;

/**
 * Where kept rows go, one output segment after the other. Rows arrive in order, full width, in the
 * source dtype's byte order. {@link #close()} waits for background work, whether or not it succeeded.
 */
interface SegmentSink extends AutoCloseable {
    void begin(OutputSegment segment) throws IOException;

    void write(byte[] src, int offset, int rows) throws IOException;

    void end() throws IOException;

    /** Waits for background work and reports its first failure. */
    void finish() throws IOException;

    long bytesWritten();

    @Override
    void close();
}
