package org.nifimemmap.eeg;

import java.util.HashMap;
import java.util.Map;
import org.nifimemmap.io.CrcCombine;

/**
 * CRC-32C of a whole file from the CRCs of its pieces, which parallel workers compute in any order. Pieces
 * are folded in file order with zlib's {@code crc32_combine} algorithm (GF(2) matrices of the Castagnoli
 * polynomial, {@link CrcCombine}); out-of-order pieces wait in a map bounded by the number of buffers in flight.
 */
final class Crc32cCombiner {
    private final Map<Long, long[]> pending = new HashMap<>();
    private long next;
    private int crc;

    /** Starts with the CRC-32C of the bytes before piece 0 (e.g. a file header), or 0 for none. */
    Crc32cCombiner(int initialCrc) {
        this.crc = initialCrc;
    }

    synchronized void add(long piece, int pieceCrc, long pieceLength) {
        pending.put(piece, new long[] {pieceCrc, pieceLength});
        for (long[] p; (p = pending.remove(next)) != null; next++) {
            crc = combine(crc, (int) p[0], p[1]);
        }
    }

    /** The CRC of everything added so far; all pieces must have been added. */
    synchronized int value() {
        if (!pending.isEmpty()) {
            throw new IllegalStateException("pieces missing before " + pending.keySet());
        }
        return crc;
    }

    /** CRC-32C of A followed by B, from crc(A), crc(B) and B's length. */
    static int combine(int crc1, int crc2, long length2) {
        return CrcCombine.combine(CrcCombine.CRC32C, crc1, crc2, length2);
    }
}
