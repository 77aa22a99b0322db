package org.nifimemmap.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.nifimemmap.io.ConflictStrategy;
import org.nifimemmap.sonata.circuit.SegmentIndexBuilder;
import org.nifimemmap.sonata.circuit.SegmentIndexRequest;
import org.nifimemmap.sonata.edges.SynapseIndexBuilder;
import org.nifimemmap.sonata.edges.SynapseIndexRequest;

/**
 * One index build and nothing else, so a whole process can be timed (bench/build-speed.sh runs it against the
 * engine of a baseline commit and of this tree). It only calls the builders' public entry points, which the
 * baseline has too.
 * usage: BuildIndex segment NODES MORPHOLOGIES OUTDIR | BuildIndex synapse EDGES OUTDIR
 */
public final class BuildIndex {
    private BuildIndex() {
    }

    public static void main(String[] args) throws Exception {
        MemoryPeaks.resetHeap();
        long t0 = System.nanoTime();
        long elements;
        Path file;
        if (args[0].equals("segment")) {
            Path out = Files.createDirectories(Path.of(args[3]));
            var r = SegmentIndexBuilder.build(SegmentIndexRequest.ofNodesFile(Path.of(args[1]), Path.of(args[2]), out, 8L << 30)).get(0);
            elements = r.elements();
            file = r.indexFile();
        } else if (args[0].equals("synapse")) {
            Path out = Files.createDirectories(Path.of(args[2]));
            var r = SynapseIndexBuilder.build(new SynapseIndexRequest(Path.of(args[1]), null, List.of(), List.of(), out, 4L << 30,
                    ConflictStrategy.REPLACE)).getFirst();
            elements = r.elements();
            file = r.indexFile();
        } else {
            throw new IllegalArgumentException("usage: BuildIndex segment NODES MORPHOLOGIES OUTDIR | synapse EDGES OUTDIR");
        }
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf("%s: %,d elements, %,d bytes, build %.2f s in-process, peak heap %.1f MiB%s%n", file.getFileName(), elements,
                Files.size(file), s, MemoryPeaks.heapBytes() / 1048576.0, fileTraffic());
    }

    /**
     * Bytes the process passed through read and write calls (Linux /proc/self/io: input, scratch and output, whether
     * or not they reached a disk): the I/O a build costs wherever its scratch lives, steadier than its time.
     */
    private static String fileTraffic() {
        try {
            long read = 0, written = 0;
            for (String line : Files.readAllLines(Path.of("/proc/self/io"))) {
                if (line.startsWith("rchar:")) {
                    read = Long.parseLong(line.substring(6).trim());
                } else if (line.startsWith("wchar:")) {
                    written = Long.parseLong(line.substring(6).trim());
                }
            }
            return String.format(", read %.2f GB, written %.2f GB", read / 1e9, written / 1e9);
        } catch (java.io.IOException | RuntimeException e) {
            return "";
        }
    }
}
