package org.nifimemmap.zarr;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Undoes the bit shuffle of c-blosc blocks (bitshuffle's {@code bshuf_untrans_bit_elem}): bit {@code b} of
 * every element was gathered into row {@code b}, eight elements at a time. SpikeInterface's default Zarr
 * compressor, {@code Blosc("zstd", shuffle=BITSHUFFLE)}, writes such blocks.
 */
final class BitUnshuffle {
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private BitUnshuffle() {
    }

    /**
     * Unshuffles one block of {@code blocksize} bytes.
     *
     * @param formatVersion byte 0 of the blosc header: format 2 (c-blosc 1) left blocks whose element count is
     *                      not a multiple of 8 unshuffled; later formats shuffle the largest multiple of 8 and
     *                      copy the rest
     * @param tmp           scratch of at least {@code blocksize} bytes
     */
    static void unshuffle(byte[] src, int srcOff, int blocksize, byte[] dst, int dstOff, int typesize, int formatVersion, byte[] tmp) {
        int size = blocksize / typesize;
        if (formatVersion == 2 && size % 8 != 0) {
            System.arraycopy(src, srcOff, dst, dstOff, blocksize);
            return;
        }
        size -= size % 8;
        untransBitElem(src, srcOff, dst, dstOff, size, typesize, tmp);
        int done = size * typesize;
        System.arraycopy(src, srcOff + done, dst, dstOff + done, blocksize - done);
    }

    private static void untransBitElem(byte[] in, int inOff, byte[] out, int outOff, int size, int elemSize, byte[] tmp) {
        // Bytes of each bit row back into groups of eight elements.
        int nbyteRow = size / 8;
        for (int jj = 0; jj < elemSize; jj++) {
            for (int ii = 0; ii < nbyteRow; ii++) {
                for (int kk = 0; kk < 8; kk++) {
                    tmp[ii * 8 * elemSize + jj * 8 + kk] = in[inOff + (jj * 8 + kk) * nbyteRow + ii];
                }
            }
        }
        // Bits within each 8x8 square back to their elements.
        int nbyte = elemSize * size;
        for (int jj = 0; jj < 8 * elemSize; jj += 8) {
            for (int ii = 0; ii + 8 * elemSize - 1 < nbyte; ii += 8 * elemSize) {
                long x = transpose8x8((long) LONG_LE.get(tmp, ii + jj));
                for (int kk = 0; kk < 8; kk++) {
                    out[outOff + ii + jj / 8 + kk * elemSize] = (byte) x;
                    x >>>= 8;
                }
            }
        }
    }

    /** Transposes the 8x8 bit matrix held in a long (rows are bytes). */
    private static long transpose8x8(long x) {
        long t = (x ^ (x >>> 7)) & 0x00AA00AA00AA00AAL;
        x = x ^ t ^ (t << 7);
        t = (x ^ (x >>> 14)) & 0x0000CCCC0000CCCCL;
        x = x ^ t ^ (t << 14);
        t = (x ^ (x >>> 28)) & 0x00000000F0F0F0F0L;
        return x ^ t ^ (t << 28);
    }
}
