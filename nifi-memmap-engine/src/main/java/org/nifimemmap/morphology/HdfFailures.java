package org.nifimemmap.morphology;

import org.nifimemmap.io.ErrorKind;
import org.nifimemmap.io.MemmapException;

/**
 * jhdf reports a malformed file not only with {@code HdfException} but with whatever its decoding of the
 * broken structure throws ({@code ArithmeticException}, {@code BufferUnderflowException},
 * {@code IllegalArgumentException}, ...), found by fuzzing. Such failures become {@code INVALID_INPUT}
 * naming the file. A runtime exception raised in our own code is a bug, not bad input: it is rethrown
 * unchanged, as is our own {@link MemmapException}.
 */
public final class HdfFailures {
    private static final String OURS = "org.nifimemmap.";

    private HdfFailures() {
    }

    /** Use as {@code catch (RuntimeException e) { throw HdfFailures.malformed(source, e); }}. */
    public static MemmapException malformed(String source, RuntimeException e) {
        if (e instanceof MemmapException m) {
            return m;
        }
        if (!raisedOutsideOurCode(e)) {
            throw e;
        }
        String what = e instanceof io.jhdf.exceptions.HdfException ? "" : e.getClass().getSimpleName() + ": ";
        return new MemmapException(ErrorKind.INVALID_INPUT, source + ": not a readable HDF5 file: " + what
                + e.getMessage(), e);
    }

    /** Whether the first frame outside the JDK that threw {@code e} belongs to a library (jhdf and its dependencies). */
    private static boolean raisedOutsideOurCode(Throwable e) {
        for (StackTraceElement frame : e.getStackTrace()) {
            String c = frame.getClassName();
            if (!(c.startsWith("java.") || c.startsWith("javax.") || c.startsWith("jdk.") || c.startsWith("sun."))) {
                return !c.startsWith(OURS);
            }
        }
        return false;
    }
}
