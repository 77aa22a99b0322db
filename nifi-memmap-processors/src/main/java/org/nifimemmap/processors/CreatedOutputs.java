package org.nifimemmap.processors;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import org.apache.nifi.logging.ComponentLog;
import org.apache.nifi.processor.ProcessSession;
import org.nifimemmap.io.AtomicOutput;

/**
 * Outputs a processor wrote in this session. If the session then fails to commit (NiFi rolls the FlowFile back
 * to the input queue), outputs this run created are removed, so the retry starts clean and nothing is orphaned.
 * An output that existed before (conflict resolution replace) is left as it is: the previous one is gone already.
 */
final class CreatedOutputs {
    private final List<Path> paths;
    private final boolean existedBefore;

    private CreatedOutputs(List<Path> paths, boolean existedBefore) {
        this.paths = paths;
        this.existedBefore = existedBefore;
    }

    /** Call before the engine writes; {@code paths} are the output and any companion (e.g. a JSON sidecar). */
    static CreatedOutputs before(Path... paths) {
        return new CreatedOutputs(List.of(paths), Files.exists(paths[0], LinkOption.NOFOLLOW_LINKS));
    }

    void commit(ProcessSession session, ComponentLog log) {
        session.commitAsync(() -> { }, failure -> {
            if (existedBefore) {
                return;
            }
            for (Path p : paths) {
                AtomicOutput.deleteTree(p);
            }
            log.warn("Session commit failed after {} was written; removed it so that the retry starts clean", paths.getFirst(), failure);
        });
    }
}
