package org.nifimemmap.index;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Direct buffers reused by the phases of an index build and by the builds that follow it. Fresh native memory is
 * paid for on first touch, one page fault per 4 KiB: on the 2-core VMs this project is measured on that is about
 * 3 s per GB, 0.1 s for the ~40 MB of buffers a build takes, as much as sorting a million records. A partition of
 * a cluster build, or a NiFi node building one population after another, would pay it every time.
 * <p>
 * A buffer taken may be larger than asked for (its capacity is at most twice the request), so callers size their
 * batches from what they asked for, not from the capacity. Only buffers no thread uses any more are given back:
 * a failed build drops its buffers to the garbage collector instead. At most {@value #RETAIN_BYTES} bytes of
 * given-back buffers are kept; beyond that they are dropped too.
 */
final class DirectBuffers {
    static final long RETAIN_BYTES = 48L << 20;
    /** The pool the index builders share. */
    static final DirectBuffers SHARED = new DirectBuffers(RETAIN_BYTES);
    private static final int ROUND = 64 << 10;

    private final long retainBytes;
    private final List<ByteBuffer> free = new ArrayList<>();
    private long freeBytes;

    DirectBuffers(long retainBytes) {
        this.retainBytes = retainBytes;
    }

    /** A cleared little-endian direct buffer of at least {@code bytes} (and at most twice as many). */
    ByteBuffer take(int bytes) {
        synchronized (free) {
            int best = -1;
            for (int i = 0; i < free.size(); i++) {
                int capacity = free.get(i).capacity();
                if (capacity >= bytes && capacity / 2 <= bytes && (best < 0 || capacity < free.get(best).capacity())) {
                    best = i;
                }
            }
            if (best >= 0) {
                ByteBuffer b = free.remove(best);
                freeBytes -= b.capacity();
                return b.clear().order(ByteOrder.LITTLE_ENDIAN);
            }
        }
        long rounded = ((long) bytes + ROUND - 1) / ROUND * ROUND;
        return ByteBuffer.allocateDirect((int) Math.min(Integer.MAX_VALUE - 8, Math.max(bytes, rounded)))
                .order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Gives back buffers taken here that nothing uses any more. */
    void give(ByteBuffer... buffers) {
        synchronized (free) {
            for (ByteBuffer b : buffers) {
                if (b != null && b.isDirect() && freeBytes + b.capacity() <= retainBytes
                        && free.stream().noneMatch(f -> f == b)) {
                    free.add(b);
                    freeBytes += b.capacity();
                }
            }
        }
    }

    /** Bytes of given-back buffers kept for reuse. */
    long retained() {
        synchronized (free) {
            return freeBytes;
        }
    }
}
