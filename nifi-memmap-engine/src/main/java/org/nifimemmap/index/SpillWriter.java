package org.nifimemmap.index;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.FutureTask;
import org.nifimemmap.io.Await;

/**
 * Appends records to a scratch file from two buffers: the producer fills one while a background thread writes
 * the other, so the kernel's copy into the page cache runs on the second core instead of between records.
 * Write failures surface at the next {@link #next} or at {@link #finish}.
 */
final class SpillWriter {
    private final ScratchFile file;
    private final ByteBuffer[] buffers = new ByteBuffer[2];
    private int current;
    private long written;
    private FutureTask<Void> inFlight;

    /** Buffers of {@code recordsPerBuffer} records of {@code recordSize} bytes. */
    SpillWriter(ScratchFile file, int recordSize, int recordsPerBuffer) {
        this.file = file;
        for (int i = 0; i < 2; i++) {
            buffers[i] = DirectBuffers.SHARED.take(recordSize * recordsPerBuffer);
        }
    }

    /** The buffer being filled. */
    ByteBuffer buffer() {
        return buffers[current];
    }

    /** Hands the filled buffer to the writer and returns the other one, empty, once its own write is done. */
    ByteBuffer next() throws IOException {
        ByteBuffer full = buffers[current];
        awaitWrite();
        long at = written;
        written += full.position();
        full.flip();
        inFlight = new FutureTask<>(() -> {
            file.write(full, at);
            full.clear();
            return null;
        });
        Thread.ofPlatform().daemon().name("spatial-index-spill").start(inFlight);
        current ^= 1;
        return buffers[current];
    }

    /** Writes what is left, waits for every write and gives the buffers back: nothing more is spilled. */
    void finish() throws IOException {
        if (buffers[current].position() > 0) {
            next();
        }
        awaitWrite();
        DirectBuffers.SHARED.give(buffers);
        buffers[0] = buffers[1] = null;
    }

    /** Waits for a write in flight, if any, ignoring its outcome: the build is being abandoned. */
    void abandon() {
        try {
            awaitWrite();
        } catch (IOException | RuntimeException ignored) {
            // Nothing of the spill is used any more; the scratch file is deleted next.
        }
    }

    private void awaitWrite() throws IOException {
        if (inFlight == null) {
            return;
        }
        try {
            Await.result(inFlight, "spilling index records");
        } finally {
            inFlight = null;
        }
    }
}
