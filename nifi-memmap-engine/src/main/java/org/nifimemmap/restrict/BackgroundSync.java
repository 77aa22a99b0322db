package org.nifimemmap.restrict;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Forces output files to disk in the background while encoding goes on. Outputs are committed with every
 * file forced ({@link org.nifimemmap.io.AtomicOutput}); with 1,000 intervals that is thousands of new
 * files, each costing a journal commit (2 ms alone, 10-20 ms when the disk is busy). Done at commit, one
 * after another, that wait would add to the run; here a few virtual threads (waiting on the disk, not
 * using a core) force files as soon as they are written, the journal batches their commits, encoders
 * never wait for them, and the commit's own pass finds nothing left to write (about 0.3 ms a file).
 */
final class BackgroundSync implements AutoCloseable {
    private static final int THREADS = 16;

    private record Item(Path path, boolean directory) {
    }

    private static final Item STOP = new Item(null, false);

    private final LinkedBlockingQueue<Item> queue = new LinkedBlockingQueue<>();
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicReference<IOException> failure = new AtomicReference<>();
    private long submitted;
    private long done;

    BackgroundSync() {
        for (int i = 0; i < THREADS; i++) {
            threads.add(Thread.ofVirtual().name("restrict-sync-" + i).start(this::run));
        }
    }

    void file(Path file) {
        submit(new Item(file, false));
    }

    void directory(Path dir) {
        submit(new Item(dir, true));
    }

    private void submit(Item item) {
        synchronized (this) {
            submitted++;
        }
        queue.add(item);
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
            ch.force(true);
        } catch (IOException e) {
            // A directory that cannot be forced is tolerated, as the commit tolerates it.
            if (!item.directory()) {
                failure.compareAndSet(null, e);
            }
        } catch (UnsupportedOperationException e) {
            // Same: some file systems cannot force directories.
        }
    }

    /** Waits for every sync queued so far and reports the first failure. */
    void await() throws IOException {
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

    @Override
    public void close() {
        for (int i = 0; i < THREADS; i++) {
            queue.add(STOP);
        }
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
