package org.nifimemmap.faults;

import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.nifimemmap.eeg.EegConversionRequest;
import org.nifimemmap.eeg.EegConverter;
import org.nifimemmap.eeg.SampleType;
import org.nifimemmap.index.Accuracy;
import org.nifimemmap.index.MatchWriter;
import org.nifimemmap.index.Query;
import org.nifimemmap.index.ResultsFile;
import org.nifimemmap.index.SpatialIndex;
import org.nifimemmap.intervals.IntervalParser;
import org.nifimemmap.intervals.IntervalFormat;
import org.nifimemmap.io.ConflictStrategy;
import org.nifimemmap.restrict.RestrictEngine;
import org.nifimemmap.restrict.RestrictRequest;
import org.nifimemmap.sonata.circuit.SegmentIndexBuilder;
import org.nifimemmap.sonata.circuit.SegmentIndexRequest;
import org.nifimemmap.sonata.edges.SynapseIndexBuilder;
import org.nifimemmap.sonata.edges.SynapseIndexRequest;
import org.nifimemmap.zarr.Compression;

/** A child JVM that writes one output and exits; the crash tests kill it with SIGKILL part-way. */
public final class WriterProcess {
    private WriterProcess() {
    }

    public static void main(String[] args) {
        ConflictStrategy conflict = ConflictStrategy.parse(args[3]);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            switch (args[0]) {
                case "convert" -> new EegConverter(pool, 4).convert(new EegConversionRequest(Path.of(args[1]), Path.of(args[2]),
                        CrashConsistencyTest.CHANNELS, 20_000.0, SampleType.INT16, ByteOrder.LITTLE_ENDIAN, 0,
                        CrashConsistencyTest.CHUNK, Compression.ZSTD, -1, conflict));
                case "restrict" -> RestrictEngine.restrict(new RestrictRequest(Path.of(args[1]), RestrictRequest.InputKind.ZARR_RECORDING,
                        null, null, IntervalParser.parse("0-100000", IntervalFormat.TEXT), Path.of(args[2]),
                        RestrictRequest.OutputFormat.ZARR, Compression.GZIP, 1, 0, conflict), pool);
                case "index" -> SynapseIndexBuilder.build(new SynapseIndexRequest(Path.of(args[1]), null, List.of(), List.of(),
                        Path.of(args[2]), 1L << 30, conflict));
                case "segment" -> SegmentIndexBuilder.build(SegmentIndexRequest.ofNodesFile(Path.of(args[1]), Path.of(args[4]),
                        Path.of(args[2]), 1L << 31).withConflict(conflict));
                case "query" -> {
                    try (SpatialIndex index = SpatialIndex.open(Path.of(args[1]), false)) {
                        Query everything = Query.box(-1e9, -1e9, -1e9, 1e9, 1e9, 1e9, Accuracy.BEST_EFFORT);
                        ResultsFile.write(Path.of(args[2]), conflict,
                                out -> index.query(everything, MatchWriter.create(index, out, MatchWriter.Format.CSV, List.of())));
                    }
                }
                default -> throw new IllegalArgumentException(args[0]);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
