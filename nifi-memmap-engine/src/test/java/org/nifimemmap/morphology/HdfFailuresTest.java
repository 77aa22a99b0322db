package org.nifimemmap.morphology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nifimemmap.io.ErrorKind;
import org.nifimemmap.io.MemmapException;

class HdfFailuresTest {
    @Test
    void outOfMemoryWithoutStackTraceIsABadFile() {
        // Fuzzing finding: after a few out-of-memory errors the JVM throws them without a stack trace.
        OutOfMemoryError oom = new OutOfMemoryError("Java heap space");
        oom.setStackTrace(new StackTraceElement[0]);
        MemmapException e = HdfFailures.malformed("cell.h5", oom);
        assertEquals(ErrorKind.INVALID_INPUT, e.kind());
        assertTrue(e.getMessage().startsWith("cell.h5: not a readable HDF5 file: it declares a structure too large"),
                e.getMessage());
    }

    @Test
    void exceptionsWithoutStackTraceCountAsTheLibrarys() {
        IndexOutOfBoundsException stackless = new IndexOutOfBoundsException("7");
        stackless.setStackTrace(new StackTraceElement[0]);
        assertEquals("cell.h5: not a readable HDF5 file: IndexOutOfBoundsException: 7",
                HdfFailures.malformed("cell.h5", stackless).getMessage());
    }

    @Test
    void faultOnAMappedReadInTheLibraryIsAnUnreadableFile() {
        // What the JVM throws when jhdf touches a mapped page past the end of a file shortened meanwhile.
        InternalError fault = new InternalError("a fault occurred in an unsafe memory access operation");
        fault.setStackTrace(new StackTraceElement[] {
            new StackTraceElement("jdk.internal.misc.Unsafe", "copyMemory", null, 1),
            new StackTraceElement("io.jhdf.dataset.DatasetReader", "readDataset", null, 1)});
        MemmapException e = HdfFailures.malformed("cell.h5", fault);
        assertEquals(ErrorKind.INPUT_UNREADABLE, e.kind());
        assertTrue(e.getMessage().startsWith("cell.h5: could not be read (truncated or rewritten while read"), e.getMessage());
        InternalError ours = new InternalError("ours");
        ours.setStackTrace(new StackTraceElement[] {new StackTraceElement("org.nifimemmap.index.X", "y", null, 1)});
        assertSame(ours, assertThrows(InternalError.class, () -> HdfFailures.malformed("cell.h5", ours)));
    }

    @Test
    void ourOwnBugsAndErrorsPassThrough() {
        IllegalStateException ours = new IllegalStateException("bug");
        assertSame(ours, assertThrows(IllegalStateException.class, () -> HdfFailures.malformed("cell.h5", ours)));
        MemmapException clear = new MemmapException(ErrorKind.INVALID_INPUT, "cell.h5: bad");
        assertSame(clear, HdfFailures.malformed("cell.h5", clear));
    }
}
