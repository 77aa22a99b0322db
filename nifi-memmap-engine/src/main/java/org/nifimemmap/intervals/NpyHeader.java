package org.nifimemmap.intervals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.nifimemmap.io.ErrorKind;
import org.nifimemmap.io.MemmapException;

/**
 * The header of a {@code .npy} array (numpy's format versions 1.0, 2.0 and 3.0): magic, version, header
 * length, then a Python dict literal such as {@code {'descr': '<f8', 'fortran_order': False, 'shape': (3,), }}.
 * Only 1-D arrays are accepted, which is what pynapple saves.
 *
 * @param descr        numpy dtype string, e.g. {@code <f8} or {@code <U11}
 * @param length       number of elements
 * @param headerBytes  bytes before the data (magic + lengths + dict)
 */
record NpyHeader(String descr, long length, int headerBytes) {
    /** numpy itself refuses headers over 10,000 bytes unless asked; 64 KiB leaves room and stops bombs. */
    private static final int MAX_HEADER = 65536;
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    static NpyHeader read(InputStream in, String where) throws IOException {
        byte[] fixed = readExactly(in, 8, where, "magic and version");
        for (int i = 0; i < MAGIC.length; i++) {
            if (fixed[i] != MAGIC[i]) {
                throw invalid(where, "not a .npy array (bad magic bytes)");
            }
        }
        int major = fixed[6] & 0xff;
        int lengthBytes = switch (major) {
            case 1 -> 2;
            case 2, 3 -> 4;
            default -> throw invalid(where, "unsupported .npy format version " + major + "." + (fixed[7] & 0xff));
        };
        byte[] len = readExactly(in, lengthBytes, where, "header length");
        long headerLen = 0;
        for (int i = lengthBytes - 1; i >= 0; i--) {
            headerLen = (headerLen << 8) | (len[i] & 0xff);
        }
        if (headerLen > MAX_HEADER) {
            throw invalid(where, "header declares " + headerLen + " bytes (more than " + MAX_HEADER + ")");
        }
        String dict = new String(readExactly(in, (int) headerLen, where, "header"),
                major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Matcher descr = DESCR.matcher(dict);
        Matcher fortran = FORTRAN.matcher(dict);
        Matcher shape = SHAPE.matcher(dict);
        if (!descr.find() || !fortran.find() || !shape.find()) {
            throw invalid(where, "header is not a plain array description: " + dict.strip());
        }
        String[] dims = shape.group(1).split(",");
        long length = -1;
        int rank = 0;
        for (String d : dims) {
            String t = d.strip();
            if (t.isEmpty()) {
                continue;
            }
            rank++;
            try {
                length = Long.parseLong(t);
            } catch (NumberFormatException e) {
                throw invalid(where, "bad shape (" + shape.group(1) + ")");
            }
        }
        if (rank != 1 || length < 0) {
            throw invalid(where, "expected a 1-D array, found shape (" + shape.group(1).strip() + ")");
        }
        return new NpyHeader(descr.group(1), length, 8 + lengthBytes + (int) headerLen);
    }

    static byte[] readExactly(InputStream in, int n, String where, String what) throws IOException {
        byte[] b = in.readNBytes(n);
        if (b.length != n) {
            throw invalid(where, "truncated " + what + ": expected " + n + " bytes, found " + b.length);
        }
        return b;
    }

    static MemmapException invalid(String where, String what) {
        return new MemmapException(ErrorKind.INVALID_INPUT, where + ": " + what);
    }
}
