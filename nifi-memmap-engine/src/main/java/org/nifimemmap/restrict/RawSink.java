package org.nifimemmap.restrict;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Appends kept rows to one interleaved binary file, segment after segment, and remembers where each
 * segment starts for the JSON sidecar.
 */
final class RawSink implements SegmentSink {
    /** Where one output segment lies in the binary. */
    record Placed(OutputSegment segment, long outputFirstSample) {
    }

    private final FileChannel channel;
    private final int rowBytes;
    private final List<Placed> placed = new ArrayList<>();
    private long rowsWritten;

    RawSink(Path file, int rowBytes) throws IOException {
        this.channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        this.rowBytes = rowBytes;
    }

    @Override
    public void begin(OutputSegment segment) {
        placed.add(new Placed(segment, rowsWritten));
    }

    @Override
    public void write(byte[] src, int offset, int rows) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(src, offset, rows * rowBytes);
        while (buf.hasRemaining()) {
            channel.write(buf);
        }
        rowsWritten += rows;
    }

    @Override
    public void end() {
        // Rows are already in the file.
    }

    @Override
    public void finish() throws IOException {
        channel.force(true);
    }

    List<Placed> placed() {
        return placed;
    }

    @Override
    public long bytesWritten() {
        return rowsWritten * rowBytes;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // A failed close after finish() lost nothing; before it, the output is discarded anyway.
        }
    }
}
