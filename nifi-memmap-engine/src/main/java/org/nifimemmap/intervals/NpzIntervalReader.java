package org.nifimemmap.intervals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

import org.nifimemmap.io.ErrorKind;
import org.nifimemmap.io.MemmapException;

/**
 * pynapple's {@code IntervalSet.save(path)}: {@code np.savez} of {@code start}, {@code end} (float64),
 * {@code type} (a unicode array holding "IntervalSet") and {@code _metadata} (a pickled dict, never read
 * here: unpickling is code execution). Sizes are checked against the array headers before anything is
 * allocated, and each entry must hold exactly the bytes its header promises.
 */
final class NpzIntervalReader {
    private final Path file;

    NpzIntervalReader(Path file) {
        this.file = file;
    }

    IntervalSet read() {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            String type = readType(zip);
            if (type != null && !type.equals("IntervalSet")) {
                throw new MemmapException(ErrorKind.INVALID_INPUT, file + " entry type.npy: this .npz holds a pynapple "
                        + type + ", not an IntervalSet");
            }
            double[] starts = readDoubles(zip, "start");
            double[] ends = readDoubles(zip, "end");
            if (starts.length != ends.length) {
                throw new MemmapException(ErrorKind.INVALID_INPUT, file + ": start.npy has " + starts.length
                        + " values but end.npy has " + ends.length);
            }
            return IntervalSet.of(file.toString(), ErrorKind.INVALID_INPUT, starts, ends);
        } catch (ZipException e) {
            throw new MemmapException(ErrorKind.INVALID_INPUT, file + ": not a readable .npz (zip) file: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new MemmapException(ErrorKind.INPUT_UNREADABLE, "Cannot read " + file + ": " + e, e);
        }
    }

    private String readType(ZipFile zip) throws IOException {
        ZipEntry entry = zip.getEntry("type.npy");
        if (entry == null) {
            return null;
        }
        String where = file + " entry type.npy";
        try (InputStream in = zip.getInputStream(entry)) {
            NpyHeader h = NpyHeader.read(in, where);
            if (!h.descr().matches("[<>|]U\\d{1,3}") || h.length() != 1) {
                return null;
            }
            int chars = Integer.parseInt(h.descr().substring(2));
            byte[] b = NpyHeader.readExactly(in, 4 * chars, where, "data");
            Charset utf32 = Charset.forName(h.descr().charAt(0) == '>' ? "UTF-32BE" : "UTF-32LE");
            return new String(b, utf32).replace("\0", "");
        }
    }

    private double[] readDoubles(ZipFile zip, String name) throws IOException {
        String entryName = name + ".npy";
        String where = file + " entry " + entryName;
        ZipEntry entry = zip.getEntry(entryName);
        if (entry == null) {
            throw new MemmapException(ErrorKind.INVALID_INPUT, file + ": no entry " + entryName
                    + " (expected a pynapple IntervalSet.save() file with start and end arrays)");
        }
        try (InputStream in = zip.getInputStream(entry)) {
            NpyHeader h = NpyHeader.read(in, where);
            String descr = h.descr();
            if (descr.length() < 2 || descr.charAt(0) != '<' && descr.charAt(0) != '>') {
                throw NpyHeader.invalid(where, "unsupported dtype '" + descr + "'");
            }
            int itemSize = switch (descr.substring(1)) {
                case "f8", "i8" -> 8;
                case "f4", "i4" -> 4;
                default -> throw NpyHeader.invalid(where, "unsupported dtype '" + descr + "' (expected float64)");
            };
            if (h.length() > IntervalAccumulator.MAX_INTERVALS) {
                throw NpyHeader.invalid(where, "declares " + h.length() + " values (more than "
                        + IntervalAccumulator.MAX_INTERVALS + ")");
            }
            long dataBytes = h.length() * itemSize;
            long declared = entry.getSize();
            if (declared >= 0 && declared != h.headerBytes() + dataBytes) {
                throw NpyHeader.invalid(where, "zip entry declares " + declared + " bytes but the array header implies "
                        + (h.headerBytes() + dataBytes));
            }
            byte[] data = NpyHeader.readExactly(in, (int) dataBytes, where, "data");
            if (in.read() != -1) {
                throw NpyHeader.invalid(where, "more bytes than the array header declares");
            }
            ByteBuffer buf = ByteBuffer.wrap(data).order(descr.charAt(0) == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
            double[] out = new double[(int) h.length()];
            for (int i = 0; i < out.length; i++) {
                out[i] = switch (descr.substring(1)) {
                    case "f8" -> buf.getDouble();
                    case "f4" -> buf.getFloat();
                    case "i8" -> buf.getLong();
                    default -> buf.getInt();
                };
                if (!Double.isFinite(out[i])) {
                    throw NpyHeader.invalid(where, "value " + i + " is " + out[i]);
                }
            }
            return out;
        }
    }
}
