package org.nifimemmap.zarr;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Forces written files to disk on one background thread, while the workers go on compressing. Without
 * it every byte of a store would reach the disk only in the final commit's fsync, after all the CPU work;
 * with it the disk writes overlap the compression. The queue is bounded, so when the disk falls behind
 * the writers wait, which also caps the dirty page cache a conversion leaves behind.
 */
public final class BackgroundFlusher implements AutoCloseable {
    private static final Path END = Path.of("");

    private final BlockingQueue<Path> queue;
    private final Thread thread;
    private volatile IOException failure;

    /** Starts the flusher thread; {@code capacity} files may wait to be flushed before {@link #submit} blocks. */
    public BackgroundFlusher(String name, int capacity) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.thread = Thread.ofPlatform().daemon().name(name).start(this::drain);
    }

    /** Queues a written file to be forced; blocks while the queue is full. */
    public void submit(Path file) throws InterruptedException {
        queue.put(file);
    }

    /** Waits until every submitted file is on disk; rethrows the first failure to force one. */
    public void finish() throws IOException, InterruptedException {
        queue.put(END);
        thread.join();
        if (failure != null) {
            throw failure;
        }
    }

    /** Stops the thread without waiting for the queue (after a failure elsewhere). */
    @Override
    public void close() {
        if (thread.isAlive()) {
            thread.interrupt();
        }
    }

    private void drain() {
        try {
            for (Path file; (file = queue.take()) != END; ) {
                if (failure != null) {
                    continue;
                }
                try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                    ch.force(false);
                } catch (IOException e) {
                    failure = e;
                } catch (RuntimeException e) {
                    // Keep draining: writers blocked on a full queue must never wait for a dead thread.
                    failure = new IOException("cannot flush " + file + ": " + e, e);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
