package org.nifimemmap.processors;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.nifi.logging.ComponentLog;
import org.apache.nifi.processor.ProcessSession;
import org.nifimemmap.io.AtomicOutput;

/**
 * Outputs this run of a processor created. If the session then fails to commit (NiFi rolls the FlowFile back
 * to its queue), they are removed, so the retry starts clean and nothing is orphaned. An output that existed
 * before (conflict resolution replace or ignore) is left as it is.
 */
final class CreatedOutputs {
    private final List<Path> created;

    private CreatedOutputs(List<Path> created) {
        this.created = created;
    }

    /** Call before the engine writes: remembers which of the outputs it may write do not exist yet. */
    static CreatedOutputs ifAbsentNow(Collection<Path> outputs) {
        return new CreatedOutputs(outputs.stream().filter(p -> !Files.exists(p, LinkOption.NOFOLLOW_LINKS)).toList());
    }

    static CreatedOutputs ifAbsentNow(Path... outputs) {
        return ifAbsentNow(List.of(outputs));
    }

    /** Outputs known to be new, e.g. from an outcome attribute. */
    static CreatedOutputs of(List<Path> created) {
        return new CreatedOutputs(List.copyOf(created));
    }

    /** These outputs and {@code other}'s, for one commit of several FlowFiles' outputs. */
    CreatedOutputs and(CreatedOutputs other) {
        List<Path> both = new ArrayList<>(created);
        both.addAll(other.created);
        return new CreatedOutputs(List.copyOf(both));
    }

    void commit(ProcessSession session, ComponentLog log) {
        session.commitAsync(() -> { }, failure -> {
            for (Path p : created) {
                AtomicOutput.deleteTree(p);
            }
            if (!created.isEmpty()) {
                log.warn("Session commit failed after {} was written; removed it so that the retry starts clean", created, failure);
            }
        });
    }
}
