package org.nifimemmap.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.nifimemmap.io.ConflictStrategy;
import org.nifimemmap.sonata.edges.SynapseIndexBuilder;
import org.nifimemmap.sonata.edges.SynapseIndexRequest;

/** Builds (or keeps) the synapse index of an edges file for the Python reader's benchmark. usage: MakeSynapseIndex EDGES OUTDIR */
public final class MakeSynapseIndex {
    private MakeSynapseIndex() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Files.createDirectories(Path.of(args[1]));
        System.out.println(SynapseIndexBuilder.build(new SynapseIndexRequest(Path.of(args[0]), null, List.of(), List.of(), out, 4L << 30,
                ConflictStrategy.IGNORE)).getFirst().indexFile());
    }
}
