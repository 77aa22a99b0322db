package org.nifimemmap.io;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Forces written files to disk in the background while the writer goes on encoding. Outputs are committed with
 * every file forced ({@link AtomicOutput}); a store of thousands of chunk files forced one after another at commit
 * would add every journal wait to the run. Here a few virtual threads (waiting on the disk, not using a core) force
 * files as soon as they are written, the journal batches their commits, and the commit's own pass finds nothing
 * left to write. The queue is bounded: when the disk falls behind, writers wait, which also caps the dirty page
 * cache an output leaves behind.
 */
public final class BackgroundSync implements AutoCloseable {
    private static final int THREADS = 8;

    private record Item(Path path, boolean directory) {
    }

    private static final Item STOP = new Item(null, false);

    private final BlockingQueue<Item> queue;
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicReference<IOException> failure = new AtomicReference<>();
    private long submitted;
    private long done;

    /** Starts the syncing threads; {@code capacity} files may wait to be forced before {@link #file} blocks. */
    public BackgroundSync(String name, int capacity) {
        this.queue = new ArrayBlockingQueue<>(Math.max(capacity, THREADS) + THREADS);
        for (int i = 0; i < THREADS; i++) {
            threads.add(Thread.ofVirtual().name(name + "-sync-" + i).start(this::run));
        }
    }

    /** Queues a written file to be forced; blocks while the queue is full. */
    public void file(Path file) throws InterruptedIOException {
        submit(new Item(file, false));
    }

    /** Queues a directory (its new entries) to be forced. */
    public void directory(Path dir) throws InterruptedIOException {
        submit(new Item(dir, true));
    }

    private void submit(Item item) throws InterruptedIOException {
        synchronized (this) {
            submitted++;
        }
        try {
            queue.put(item);
        } catch (InterruptedException e) {
            synchronized (this) {
                submitted--;
            }
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while queueing " + item.path() + " to be forced to disk");
        }
    }

    private void run() {
        while (true) {
            Item item;
            try {
                item = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            if (item == STOP) {
                return;
            }
            force(item);
            synchronized (this) {
                done++;
                notifyAll();
            }
        }
    }

    private void force(Item item) {
        try (FileChannel ch = FileChannel.open(item.path(), item.directory() ? StandardOpenOption.READ : StandardOpenOption.WRITE)) {
            ch.force(!item.directory());
        } catch (IOException e) {
            // A directory that cannot be forced is tolerated, as the commit tolerates it.
            if (!item.directory()) {
                failure.compareAndSet(null, e);
            }
        } catch (RuntimeException e) {
            // Some file systems cannot force directories; anything else is a failure to report, never a dead thread
            // that would leave writers blocked on a full queue.
            if (!item.directory()) {
                failure.compareAndSet(null, new IOException("cannot force " + item.path() + " to disk: " + e, e));
            }
        }
    }

    /** Waits for every sync queued so far and reports the first failure. */
    public void await() throws IOException {
        synchronized (this) {
            while (done < submitted) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while waiting for file syncs");
                }
            }
        }
        IOException e = failure.get();
        if (e != null) {
            throw e;
        }
    }

    /** Stops the threads; syncs still queued are dropped (after a failure the output is removed anyway). */
    @Override
    public void close() {
        queue.clear();
        for (Thread t : threads) {
            t.interrupt();
        }
    }
}
