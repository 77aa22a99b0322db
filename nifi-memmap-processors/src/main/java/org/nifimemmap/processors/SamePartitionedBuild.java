package org.nifimemmap.processors;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.apache.nifi.flowfile.FlowFile;
import org.apache.nifi.processor.FlowFileFilter;
import org.nifimemmap.sonata.edges.SynapseIndexRequest;

/**
 * Selects queued FlowFiles that ask for other partitions of the same partitioned build as a first one: same input,
 * populations, extra attributes, output, Memory Map Size, Conflict Resolution and scratch, a partition of the same
 * plan size that is not taken yet. A FlowFile whose properties do not evaluate is left in the queue, to fail alone.
 */
final class SamePartitionedBuild implements FlowFileFilter {
    private final SynapseIndexRequest first;
    private final Function<FlowFile, SynapseIndexRequest> requestOf;
    private final Set<Integer> taken = new HashSet<>();
    /** The requests of the FlowFiles accepted, by FlowFile id, so they are evaluated once. */
    private final Map<Long, SynapseIndexRequest> accepted = new HashMap<>();
    private int room;

    SamePartitionedBuild(SynapseIndexRequest first, int most, Function<FlowFile, SynapseIndexRequest> requestOf) {
        this.first = first;
        this.requestOf = requestOf;
        this.room = most;
        taken.add(first.partition().index());
    }

    @Override
    public FlowFileFilterResult filter(FlowFile flowFile) {
        if (room == 0) {
            return FlowFileFilterResult.REJECT_AND_TERMINATE;
        }
        SynapseIndexRequest other;
        try {
            other = requestOf.apply(flowFile);
        } catch (RuntimeException e) {
            return FlowFileFilterResult.REJECT_AND_CONTINUE;
        }
        if (!sameBuild(other) || !taken.add(other.partition().index())) {
            return FlowFileFilterResult.REJECT_AND_CONTINUE;
        }
        accepted.put(flowFile.getId(), other);
        room--;
        return room == 0 ? FlowFileFilterResult.ACCEPT_AND_TERMINATE : FlowFileFilterResult.ACCEPT_AND_CONTINUE;
    }

    /** The request an accepted FlowFile asked for. */
    SynapseIndexRequest requestOf(FlowFile accepted) {
        return this.accepted.get(accepted.getId());
    }

    private boolean sameBuild(SynapseIndexRequest other) {
        return other.partition() != null && other.partition().count() == first.partition().count()
                && Objects.equals(other.edgesFile(), first.edgesFile()) && Objects.equals(other.circuitConfig(), first.circuitConfig())
                && other.populations().equals(first.populations()) && other.extraAttributes().equals(first.extraAttributes())
                && other.outputDir().equals(first.outputDir()) && other.memoryMapSizeBytes() == first.memoryMapSizeBytes()
                && other.conflict() == first.conflict() && Objects.equals(other.scratchDirectory(), first.scratchDirectory());
    }
}
