package org.nifimemmap.morphology;

import java.util.function.Supplier;
import org.nifimemmap.io.ErrorKind;
import org.nifimemmap.io.MemmapException;

/**
 * jhdf reports a malformed file not only with {@code HdfException} but with whatever its decoding of the
 * broken structure throws ({@code ArithmeticException}, {@code BufferUnderflowException},
 * {@code IllegalArgumentException}, ...), found by fuzzing. It also sizes some buffers (object headers)
 * by lengths read from the file before checking them against the file, so a corrupt length makes it
 * request gigabytes: that request fails with {@link OutOfMemoryError} without taking any memory, and is a
 * bad file, not a full heap. Such failures become {@code INVALID_INPUT} naming the file.
 *
 * <p>jhdf reads whole datasets through a mapping of the file: if another process shortens the file meanwhile,
 * the JVM turns the fault on the mapped page into an {@link InternalError}, which becomes
 * {@code INPUT_UNREADABLE} (the file changed while read), not a bad file.
 *
 * <p>A runtime exception raised in our own code is a bug, not bad input: it is rethrown unchanged, as is
 * our own {@link MemmapException}. Where an exception comes from is read from its stack trace; one without
 * a stack trace (the JVM drops them for exceptions thrown often from compiled code) counts as jhdf's. An
 * {@code OutOfMemoryError} counts as jhdf's always: the JVM gives stack traces to its first few only, and
 * our own allocations between jhdf calls are bounded by {@link HdfLimits}.
 */
public final class HdfFailures {
    private static final String OURS = "org.nifimemmap.";

    private HdfFailures() {
    }

    /** Runs {@code read}, a call into jhdf, with its failures turned into errors naming {@code source} by {@link #malformed}. */
    public static <T> T reading(String source, Supplier<T> read) {
        try {
            return read.get();
        } catch (RuntimeException | OutOfMemoryError | InternalError e) {
            throw malformed(source, e);
        }
    }

    /**
     * Use as {@code catch (RuntimeException | OutOfMemoryError | InternalError e) { throw HdfFailures.malformed(source, e); }}
     * around jhdf calls that need cleanup before rethrowing (else {@link #reading}); rethrows {@code e} itself when
     * it is not jhdf's.
     */
    public static MemmapException malformed(String source, Throwable e) {
        if (e instanceof MemmapException m) {
            return m;
        }
        if (e instanceof InternalError && raisedOutsideOurCode(e)) {
            return new MemmapException(ErrorKind.INPUT_UNREADABLE, source + ": could not be read (truncated or "
                    + "rewritten while read, or an I/O error): " + e.getMessage(), e);
        }
        if (!(e instanceof OutOfMemoryError) && !raisedOutsideOurCode(e)) {
            switch (e) {
                case RuntimeException r -> throw r;
                case Error r -> throw r;
                default -> throw new IllegalStateException(e);
            }
        }
        String detail = switch (e) {
            case io.jhdf.exceptions.HdfException h -> h.getMessage();
            case OutOfMemoryError o -> "it declares a structure too large to read (" + o.getMessage() + ")";
            default -> e.getClass().getSimpleName() + ": " + e.getMessage();
        };
        return new MemmapException(ErrorKind.INVALID_INPUT, source + ": not a readable HDF5 file: " + detail, e);
    }

    /** Whether the first frame outside the JDK that threw {@code e} belongs to a library (jhdf and its dependencies), or is unknown. */
    private static boolean raisedOutsideOurCode(Throwable e) {
        for (StackTraceElement frame : e.getStackTrace()) {
            String c = frame.getClassName();
            if (!(c.startsWith("java.") || c.startsWith("javax.") || c.startsWith("jdk.") || c.startsWith("sun."))) {
                return !c.startsWith(OURS);
            }
        }
        return true;
    }
}
