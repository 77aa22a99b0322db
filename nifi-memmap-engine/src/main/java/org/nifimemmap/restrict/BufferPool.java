package org.nifimemmap.restrict;

import java.util.concurrent.ArrayBlockingQueue;

/**
 * At most {@code capacity} buffers of one size, allocated on demand and handed back after use. Taking
 * blocks while all are out, which bounds both memory and the work in flight.
 */
final class BufferPool {
    private final int bufferBytes;
    private final int capacity;
    private final ArrayBlockingQueue<byte[]> free;
    private int allocated;

    BufferPool(int bufferBytes, int capacity) {
        this.bufferBytes = bufferBytes;
        this.capacity = capacity;
        this.free = new ArrayBlockingQueue<>(capacity);
    }

    byte[] take() throws InterruptedException {
        byte[] b = free.poll();
        if (b != null) {
            return b;
        }
        synchronized (this) {
            if (allocated < capacity) {
                allocated++;
                return new byte[bufferBytes];
            }
        }
        return free.take();
    }

    void give(byte[] buffer) {
        free.add(buffer);
    }

    /** Waits until every buffer handed out has come back. */
    void awaitAllReturned() throws InterruptedException {
        int count;
        synchronized (this) {
            count = allocated;
        }
        byte[][] held = new byte[count][];
        for (int i = 0; i < count; i++) {
            held[i] = free.take();
        }
        for (byte[] b : held) {
            free.add(b);
        }
    }
}
