package org.nifimemmap.io;

/**
 * The CRC of two byte runs joined, from the CRC of each and the second one's length: zlib's
 * {@code crc32_combine} (GF(2) matrices of the reflected polynomial), for any reflected 32-bit CRC. It lets
 * workers checksum pieces of a file in parallel and a single thread join the results in file order.
 */
public final class CrcCombine {
    /** CRC-32 (zlib, {@link java.util.zip.CRC32}). */
    public static final long CRC32 = 0xEDB88320L;
    /** CRC-32C (Castagnoli, {@link java.util.zip.CRC32C}). */
    public static final long CRC32C = 0x82F63B78L;

    private CrcCombine() {
    }

    /** CRC of A followed by B, from crc(A), crc(B) and B's length, for the reflected polynomial {@code poly}. */
    public static int combine(long poly, int crc1, int crc2, long length2) {
        if (length2 <= 0) {
            return crc1;
        }
        long[] even = new long[32];
        long[] odd = new long[32];
        odd[0] = poly;
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
