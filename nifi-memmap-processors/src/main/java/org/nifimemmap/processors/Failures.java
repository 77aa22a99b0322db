package org.nifimemmap.processors;

import java.util.Map;
import org.apache.nifi.flowfile.FlowFile;
import org.apache.nifi.logging.ComponentLog;
import org.apache.nifi.processor.ProcessSession;
import org.apache.nifi.processor.Relationship;
import org.nifimemmap.io.ErrorKind;
import org.nifimemmap.io.MemmapException;

/** Routes a FlowFile whose work failed: penalized, with the error's kind and message as attributes. */
final class Failures {
    static final String ERROR_TYPE = "memmap.error.type";
    static final String ERROR_MESSAGE = "memmap.error.message";

    private Failures() {
    }

    static void route(ProcessSession session, FlowFile flowFile, Relationship failure, ComponentLog log,
                      String processorName, RuntimeException error) {
        ErrorKind kind = error instanceof MemmapException m ? m.kind() : ErrorKind.INVALID_INPUT;
        String message = error.getMessage() != null ? error.getMessage() : error.toString();
        if (error instanceof MemmapException) {
            log.error("{} failed for {}: {}", processorName, flowFile, message);
        } else {
            // Not one of ours: keep the stack trace, it is a bug or an unexpected environment problem.
            log.error("{} failed for {}", processorName, flowFile, error);
        }
        FlowFile failed = session.putAllAttributes(flowFile, Map.of(ERROR_TYPE, kind.attributeValue(), ERROR_MESSAGE, message));
        session.transfer(session.penalize(failed), failure);
    }
}
