package org.nifimemmap.eeg;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.nifimemmap.io.ErrorKind;
import org.nifimemmap.io.MemmapException;

/**
 * The first element of a one-dimensional NumPy {@code .npy} file of little-endian int64 or float64 (Open Ephys's
 * {@code sample_numbers.npy} and {@code timestamps.npy}), read without reading the rest: magic {@code \x93NUMPY},
 * version, header length (2 bytes in version 1, 4 in 2 and 3), then a Python dict literal with {@code descr},
 * {@code fortran_order} and {@code shape}.
 */
final class NpyFirstValue {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** NumPy itself writes headers of at most a few hundred bytes; this bounds what a corrupt length may ask for. */
    static final int MAX_HEADER = 64 << 10;
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(\\s*(\\d+)\\s*,?\\s*\\)");

    /** The value, exact for int64 (as a long) or a float64; {@code isInteger} says which. */
    record Value(boolean isInteger, long integer, double real) {
    }

    private NpyFirstValue() {
    }

    static Value read(Path npy) {
        try (FileChannel ch = FileChannel.open(npy, StandardOpenOption.READ)) {
            ByteBuffer lead = readFully(ch, 0, 12, npy);
            for (int i = 0; i < MAGIC.length; i++) {
                if (lead.get(i) != MAGIC[i]) {
                    throw invalid(npy, "does not start with the .npy magic");
                }
            }
            int major = lead.get(6);
            long headerLength = major == 1 ? Short.toUnsignedInt(lead.getShort(8)) : Integer.toUnsignedLong(lead.getInt(8));
            int prefix = major == 1 ? 10 : 12;
            if (major < 1 || major > 3 || headerLength > MAX_HEADER) {
                throw invalid(npy, "has version " + major + " or header length " + headerLength + " that is not supported");
            }
            String header = StandardCharsets.ISO_8859_1.decode(readFully(ch, prefix, (int) headerLength, npy)).toString();
            Matcher descr = DESCR.matcher(header);
            Matcher shape = SHAPE.matcher(header);
            if (!descr.find() || !shape.find() || header.contains("'fortran_order': True")) {
                throw invalid(npy, "header is not that of a one-dimensional array: " + header.trim());
            }
            if (shape.group(1).equals("0")) {
                throw invalid(npy, "is empty: it gives no first sample");
            }
            String type = descr.group(1);
            if (!type.equals("<i8") && !type.equals("<f8")) {
                throw invalid(npy, "holds " + type + ", not int64 or float64");
            }
            ByteBuffer first = readFully(ch, prefix + headerLength, 8, npy);
            return type.equals("<i8") ? new Value(true, first.getLong(0), Double.NaN) : new Value(false, 0, first.getDouble(0));
        } catch (NoSuchFileException e) {
            throw new MemmapException(ErrorKind.INPUT_NOT_FOUND, "NumPy file not found: " + npy, e);
        } catch (IOException e) {
            throw new MemmapException(ErrorKind.INPUT_UNREADABLE, "Cannot read NumPy file " + npy + ": " + e, e);
        }
    }

    private static ByteBuffer readFully(FileChannel ch, long position, int length, Path npy) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            if (ch.read(b, position + b.position()) < 0) {
                throw invalid(npy, "ends at byte " + (position + b.position()) + ", inside its header or first value");
            }
        }
        return b.flip();
    }

    private static MemmapException invalid(Path npy, String problem) {
        return new MemmapException(ErrorKind.INVALID_INPUT, "NumPy file " + npy + " " + problem);
    }
}
