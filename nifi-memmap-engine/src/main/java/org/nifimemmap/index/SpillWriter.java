package org.nifimemmap.index;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.nifimemmap.io.Await;

/**
 * Appends records to a scratch file from a few buffers: the producer fills one while a thread of the writer's own
 * scans and writes the full ones, in order, so what is learnt from every record and the kernel's copy into the page
 * cache run on the second core instead of between records. Write failures surface at a later {@link #next} or at
 * {@link #finish}.
 */
final class SpillWriter {
    /** Reads a full buffer of records (from 0 to its limit, by absolute gets) before it is written; buffers come in order. */
    interface Scan {
        void scan(ByteBuffer records);
    }

    /** Buffers: the one being filled and up to three behind it, so a slower buffer does not stop the producer. */
    static final int BUFFERS = 4;

    private final ScratchFile file;
    private final Scan scan;
    private final ArrayDeque<ByteBuffer> free = new ArrayDeque<>();
    private final ArrayDeque<Future<ByteBuffer>> inFlight = new ArrayDeque<>();
    private final ByteBuffer[] all = new ByteBuffer[BUFFERS];
    private final ExecutorService writer;
    private ByteBuffer current;
    private long written;

    /** Buffers of {@code recordsPerBuffer} records of {@code recordSize} bytes. */
    SpillWriter(ScratchFile file, int recordSize, int recordsPerBuffer, Scan scan) {
        this.file = file;
        this.scan = scan;
        for (int i = 0; i < BUFFERS; i++) {
            all[i] = DirectBuffers.SHARED.take(recordSize * recordsPerBuffer);
            free.add(all[i]);
        }
        current = free.poll();
        writer = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "spatial-index-spill");
            t.setDaemon(true);
            return t;
        });
    }

    /** The buffer being filled. */
    ByteBuffer buffer() {
        return current;
    }

    /** Hands the filled buffer to the writer's thread and returns an empty one, waiting for one if none is free. */
    ByteBuffer next() throws IOException {
        ByteBuffer full = current;
        long at = written;
        written += full.position();
        full.flip();
        inFlight.add(writer.submit(() -> {
            scan.scan(full);
            file.write(full, at);
            return full.clear();
        }));
        if (free.isEmpty()) {
            free.add(awaitOldest());
        }
        current = free.poll();
        return current;
    }

    /** Writes what is left, waits for every write and gives the buffers back: nothing more is spilled. */
    void finish() throws IOException {
        try {
            if (current.position() > 0) {
                next();
            }
            while (!inFlight.isEmpty()) {
                free.add(awaitOldest());
            }
        } finally {
            writer.shutdown();
        }
        DirectBuffers.SHARED.give(all);
        current = null;
    }

    /** Waits for the writes in flight, ignoring their outcome: the build is being abandoned. */
    void abandon() {
        while (!inFlight.isEmpty()) {
            try {
                awaitOldest();
            } catch (IOException | RuntimeException ignored) {
                // Nothing of the spill is used any more; the scratch file is deleted next.
            }
        }
        writer.shutdown();
    }

    private ByteBuffer awaitOldest() throws IOException {
        return Await.result(inFlight.poll(), "spilling index records");
    }
}
