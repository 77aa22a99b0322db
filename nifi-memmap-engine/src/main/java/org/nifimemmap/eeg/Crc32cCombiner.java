package org.nifimemmap.eeg;

import java.util.HashMap;
import java.util.Map;

/**
 * CRC-32C of a whole file from the CRCs of its pieces, which parallel workers compute in any order. Pieces
 * are folded in file order with zlib's {@code crc32_combine} algorithm (GF(2) matrices of the Castagnoli
 * polynomial); out-of-order pieces wait in a map bounded by the number of buffers in flight.
 */
final class Crc32cCombiner {
    private static final long POLY_REFLECTED = 0x82F63B78L;

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
        if (length2 <= 0) {
            return crc1;
        }
        long[] even = new long[32];
        long[] odd = new long[32];
        odd[0] = POLY_REFLECTED;
        long row = 1;
        for (int n = 1; n < 32; n++) {
            odd[n] = row;
            row <<= 1;
        }
        square(even, odd);
        square(odd, even);
        long c1 = crc1 & 0xffffffffL;
        long len = length2;
        do {
            square(even, odd);
            if ((len & 1) != 0) {
                c1 = times(even, c1);
            }
            len >>= 1;
            if (len == 0) {
                break;
            }
            square(odd, even);
            if ((len & 1) != 0) {
                c1 = times(odd, c1);
            }
            len >>= 1;
        } while (len != 0);
        return (int) (c1 ^ (crc2 & 0xffffffffL));
    }

    private static long times(long[] matrix, long vector) {
        long sum = 0;
        for (int i = 0; vector != 0; i++, vector >>>= 1) {
            if ((vector & 1) != 0) {
                sum ^= matrix[i];
            }
        }
        return sum;
    }

    private static void square(long[] result, long[] matrix) {
        for (int n = 0; n < 32; n++) {
            result[n] = times(matrix, matrix[n]);
        }
    }
}
