package org.nifimemmap.zarr;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdException;
import java.util.zip.Inflater;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;

/**
 * numcodecs {@code Blosc}, written as c-blosc 1.x frames (format version 2).
 *
 * <p>A frame is a 16-byte header (version, codec version, flags, type size, uncompressed size, block size,
 * frame size; little-endian), then, unless the frame is a plain copy, one int32 offset per block. Each block
 * is byte-shuffled within itself and stored as one stream, or as {@code typesize} streams (one per byte
 * plane) when the blocks are "split"; every stream is an int32 length followed by the compressed bytes, or
 * by the raw bytes when the length equals the stream's size. Flag bits: 0x1 byte shuffle, 0x2 plain copy,
 * 0x4 bit shuffle, 0x10 blocks not split, 0xE0 the inner codec (0 blosclz, 1 lz4/lz4hc, 2 snappy, 3 zlib,
 * 4 zstd).
 *
 * <p>Writes lz4 and lz4hc; reads lz4, lz4hc, zstd and zlib frames with byte, bit or no shuffle.
 */
public final class BloscCodec implements Codec {
    public static final int NOSHUFFLE = 0;
    public static final int SHUFFLE = 1;
    public static final int DEFAULT_LEVEL = 5;

    private static final int HEADER = 16;
    private static final int VERSION_FORMAT = 2;
    private static final int LZ4_VERSION_FORMAT = 1;
    private static final int FLAG_SHUFFLE = 0x1;
    private static final int FLAG_MEMCPYED = 0x2;
    private static final int FLAG_BITSHUFFLE = 0x4;
    private static final int FLAG_NOSPLIT = 0x10;
    private static final int FORMAT_LZ4 = 1;
    private static final int FORMAT_ZLIB = 3;
    private static final int FORMAT_ZSTD = 4;
    /** c-blosc's MAX_SPLITS and MIN_BUFFERSIZE: which blocks are split into byte planes. */
    private static final int MAX_SPLITS = 16;
    private static final int MIN_BUFFERSIZE = 128;
    /** Blocks of 256 KiB keep a block and its shuffled copy in L2 while lz4 compresses them. */
    private static final int BLOCK_SIZE = 256 * 1024;

    private final String cname;
    private final int clevel;
    private final int shuffle;
    private final int blocksize;
    private final int typesize;
    private byte[] scratch = new byte[0];
    private byte[] bitScratch = new byte[0];
    private LZ4Compressor lz4Compressor;
    private AutoCloseable lz4State;
    private LZ4SafeDecompressor lz4Decompressor;
    private Inflater inflater;

    /**
     * @param blocksize 0 for automatic, as in numcodecs
     * @param typesize  element size of the array, stored in each frame
     */
    public BloscCodec(String cname, int clevel, int shuffle, int blocksize, int typesize) {
        if (clevel < 0 || clevel > 9) {
            throw new IllegalArgumentException("blosc clevel must be 0..9: " + clevel);
        }
        if (blocksize < 0) {
            throw new IllegalArgumentException("blosc blocksize must not be negative: " + blocksize);
        }
        this.cname = cname;
        this.clevel = clevel;
        this.shuffle = shuffle;
        this.blocksize = blocksize;
        this.typesize = typesize < 1 || typesize > 255 ? 1 : typesize;
    }

    @Override
    public ObjectNode config() {
        // No "typesize" key: zarr-python 2.13 rejects it.
        return Json.object().put("id", "blosc").put("cname", cname).put("clevel", clevel)
                .put("shuffle", shuffle).put("blocksize", blocksize);
    }

    @Override
    public int maxEncodedLength(int length) {
        return length + HEADER;
    }

    @Override
    public int encode(byte[] src, int length, byte[] dst) {
        if (!cname.equals("lz4") && !cname.equals("lz4hc")) {
            throw new UnsupportedOperationException("blosc writing supports lz4 and lz4hc, not " + cname);
        }
        if (shuffle != NOSHUFFLE && shuffle != SHUFFLE) {
            throw new UnsupportedOperationException("blosc writing supports byte shuffle or none, not mode " + shuffle);
        }
        int bsize = blockSize(length);
        boolean doShuffle = shuffle == SHUFFLE && typesize > 1;
        int flags = FORMAT_LZ4 << 5 | (doShuffle ? FLAG_SHUFFLE : 0);
        boolean split = typesize <= MAX_SPLITS && bsize / typesize >= MIN_BUFFERSIZE;
        if (!split) {
            flags |= FLAG_NOSPLIT;
        }
        int size = -1;
        if (clevel > 0 && length >= MIN_BUFFERSIZE) {
            size = compressBlocks(src, length, dst, bsize, doShuffle, split);
        }
        if (size < 0) {
            flags |= FLAG_MEMCPYED;
            System.arraycopy(src, 0, dst, HEADER, length);
            size = HEADER + length;
        }
        dst[0] = VERSION_FORMAT;
        dst[1] = LZ4_VERSION_FORMAT;
        dst[2] = (byte) flags;
        dst[3] = (byte) typesize;
        GzipCodec.Deflate.putIntLE(dst, 4, length);
        GzipCodec.Deflate.putIntLE(dst, 8, bsize);
        GzipCodec.Deflate.putIntLE(dst, 12, size);
        return size;
    }

    private int blockSize(int length) {
        int b = blocksize > 0 ? Math.max(blocksize, MIN_BUFFERSIZE) : BLOCK_SIZE;
        b = Math.min(b, length);
        if (b > typesize) {
            b = b / typesize * typesize;
        }
        return Math.max(b, 1);
    }

    /** Returns the frame size, or -1 when the data does not compress below a plain copy. */
    private int compressBlocks(byte[] src, int length, byte[] dst, int bsize, boolean doShuffle, boolean split) {
        int budget = length + HEADER;
        int nblocks = (length + bsize - 1) / bsize;
        int pos = HEADER + 4 * nblocks;
        if (pos >= budget) {
            return -1;
        }
        LZ4Compressor lz4 = compressor();
        byte[] block = ensureScratch(bsize);
        for (int j = 0; j < nblocks; j++) {
            int start = j * bsize;
            int size = Math.min(bsize, length - start);
            boolean leftover = size < bsize;
            GzipCodec.Deflate.putIntLE(dst, HEADER + 4 * j, pos);
            byte[] in = src;
            int inOff = start;
            if (doShuffle) {
                ShuffleFilter.shuffle(src, start, size, block, 0, typesize);
                in = block;
                inOff = 0;
            }
            int nsplits = split && !leftover ? typesize : 1;
            int neblock = size / nsplits;
            for (int s = 0; s < nsplits; s++) {
                int room = budget - pos - 4;
                if (room <= 0) {
                    return -1;
                }
                int cbytes;
                try {
                    cbytes = lz4.compress(in, inOff + s * neblock, neblock, dst, pos + 4, Math.min(room, neblock - 1));
                } catch (LZ4Exception incompressible) {
                    if (neblock > room) {
                        return -1;
                    }
                    System.arraycopy(in, inOff + s * neblock, dst, pos + 4, neblock);
                    cbytes = neblock;
                }
                GzipCodec.Deflate.putIntLE(dst, pos, cbytes);
                pos += 4 + cbytes;
            }
        }
        return pos;
    }

    @Override
    public void decode(byte[] src, int length, byte[] dst, int decodedLength) {
        if (length < HEADER) {
            throw Codecs.corrupt("blosc", "frame of " + length + " bytes is shorter than its 16-byte header");
        }
        int flags = src[2] & 0xff;
        int frameTypesize = src[3] & 0xff;
        int nbytes = GzipCodec.Deflate.getIntLE(src, 4);
        int bsize = GzipCodec.Deflate.getIntLE(src, 8);
        int cbytes = GzipCodec.Deflate.getIntLE(src, 12);
        if (nbytes != decodedLength) {
            throw Codecs.corrupt("blosc", "frame holds " + nbytes + " bytes, expected " + decodedLength);
        }
        if (cbytes > length || cbytes < HEADER) {
            throw Codecs.corrupt("blosc", "frame size " + cbytes + " does not match the " + length + " bytes stored");
        }
        if ((flags & FLAG_MEMCPYED) != 0) {
            if (cbytes < HEADER + nbytes) {
                throw Codecs.corrupt("blosc", "plain frame shorter than its " + nbytes + " bytes");
            }
            System.arraycopy(src, HEADER, dst, 0, nbytes);
            return;
        }
        if (nbytes == 0) {
            return;
        }
        if (bsize <= 0 || bsize > nbytes || frameTypesize == 0) {
            throw Codecs.corrupt("blosc", "block size " + bsize + ", type size " + frameTypesize);
        }
        int format = flags >>> 5;
        int version = src[0] & 0xff;
        boolean doShuffle = (flags & FLAG_SHUFFLE) != 0 && frameTypesize > 1;
        boolean doBitShuffle = !doShuffle && (flags & FLAG_BITSHUFFLE) != 0 && bsize >= frameTypesize;
        boolean dontSplit = (flags & FLAG_NOSPLIT) != 0;
        int nblocks = (int) ((nbytes + (long) bsize - 1) / bsize);
        if (HEADER + 4L * nblocks > cbytes) {
            throw Codecs.corrupt("blosc", nblocks + " block offsets do not fit a frame of " + cbytes + " bytes");
        }
        byte[] block = doShuffle || doBitShuffle ? ensureScratch(bsize) : null;
        byte[] bitTmp = doBitShuffle ? ensureBitScratch(bsize) : null;
        for (int j = 0; j < nblocks; j++) {
            int start = j * bsize;
            int size = Math.min(bsize, nbytes - start);
            boolean leftover = size < bsize;
            int pos = GzipCodec.Deflate.getIntLE(src, HEADER + 4 * j);
            byte[] out = block != null ? block : dst;
            int outOff = block != null ? 0 : start;
            int nsplits = !dontSplit && !leftover && frameTypesize <= MAX_SPLITS ? frameTypesize : 1;
            if (size % nsplits != 0) {
                throw Codecs.corrupt("blosc", "block " + j + " of " + size + " bytes does not split into " + nsplits);
            }
            int neblock = size / nsplits;
            for (int s = 0; s < nsplits; s++) {
                if (pos < HEADER || pos + 4L > cbytes) {
                    throw Codecs.corrupt("blosc", "block " + j + " stream " + s + " starts outside the frame");
                }
                int n = GzipCodec.Deflate.getIntLE(src, pos);
                pos += 4;
                if (n < 0 || pos + (long) n > cbytes) {
                    throw Codecs.corrupt("blosc", "block " + j + " stream " + s + " of " + n + " bytes runs past the frame");
                }
                if (n == neblock) {
                    System.arraycopy(src, pos, out, outOff + s * neblock, neblock);
                } else {
                    decompressStream(format, src, pos, n, out, outOff + s * neblock, neblock);
                }
                pos += n;
            }
            if (doShuffle) {
                ShuffleFilter.unshuffle(block, 0, size, dst, start, frameTypesize);
            } else if (doBitShuffle) {
                BitUnshuffle.unshuffle(block, 0, size, dst, start, frameTypesize, version, bitTmp);
            }
        }
    }

    private void decompressStream(int format, byte[] src, int off, int len, byte[] dst, int dstOff, int expected) {
        int n;
        switch (format) {
            case FORMAT_LZ4 -> {
                try {
                    n = decompressor().decompress(src, off, len, dst, dstOff, expected);
                } catch (LZ4Exception e) {
                    throw Codecs.corrupt("blosc/lz4", e.getMessage());
                }
            }
            case FORMAT_ZSTD -> {
                try {
                    n = Math.toIntExact(Zstd.decompressByteArray(dst, dstOff, expected, src, off, len));
                } catch (ZstdException e) {
                    throw Codecs.corrupt("blosc/zstd", e.getMessage());
                }
            }
            case FORMAT_ZLIB -> {
                if (inflater == null) {
                    inflater = new Inflater(false);
                }
                GzipCodec.Deflate.inflate(inflater, "blosc/zlib", src, off, len, dst, dstOff, expected);
                n = expected;
            }
            default -> throw Codecs.corrupt("blosc", "inner codec " + innerName(format) + " is not supported (lz4, lz4hc, zstd, zlib are)");
        }
        if (n != expected) {
            throw Codecs.corrupt("blosc", "stream decoded to " + n + " bytes, expected " + expected);
        }
    }

    private static String innerName(int format) {
        return switch (format) {
            case 0 -> "blosclz";
            case 2 -> "snappy";
            default -> "#" + format;
        };
    }

    /**
     * lz4 with c-blosc's acceleration for the level ({@code 10 - clevel}: faster, slightly larger output at
     * low levels), reusing one native state per codec; lz4hc at the level itself.
     */
    private LZ4Compressor compressor() {
        if (lz4Compressor == null) {
            LZ4Factory factory = LZ4Factory.fastestInstance();
            if (cname.equals("lz4hc")) {
                lz4Compressor = factory.highCompressor(Math.max(1, clevel));
            } else {
                try {
                    var fast = factory.fastResetCompressor(10 - clevel);
                    lz4State = fast;
                    lz4Compressor = fast;
                } catch (UnsatisfiedLinkError | RuntimeException noNative) {
                    // No native lz4 for this platform: the pure-Java compressor has no acceleration setting.
                    lz4Compressor = factory.fastCompressor();
                }
            }
        }
        return lz4Compressor;
    }

    @Override
    public void close() {
        if (lz4State != null) {
            try {
                lz4State.close();
            } catch (Exception e) {
                throw new IllegalStateException("cannot free lz4 state", e);
            }
            lz4State = null;
            lz4Compressor = null;
        }
        if (inflater != null) {
            inflater.end();
            inflater = null;
        }
    }

    private LZ4SafeDecompressor decompressor() {
        if (lz4Decompressor == null) {
            lz4Decompressor = LZ4Factory.fastestInstance().safeDecompressor();
        }
        return lz4Decompressor;
    }

    private byte[] ensureBitScratch(int size) {
        if (bitScratch.length < size) {
            bitScratch = new byte[size];
        }
        return bitScratch;
    }

    private byte[] ensureScratch(int size) {
        if (scratch.length < size) {
            scratch = new byte[size];
        }
        return scratch;
    }
}
