package org.nifimemmap.restrict;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ThreadPoolExecutor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.nifimemmap.intervals.IntervalSet;
import org.nifimemmap.intervals.SampleClock;
import org.nifimemmap.intervals.SampleRange;
import org.nifimemmap.intervals.SampleSelection;
import org.nifimemmap.io.AtomicOutput;
import org.nifimemmap.io.ErrorKind;
import org.nifimemmap.io.MemmapException;
import org.nifimemmap.zarr.Compression;
import org.nifimemmap.zarr.Json;
import org.nifimemmap.zarr.ZarrArrayMetadata;
import org.nifimemmap.zarr.ZarrDtype;
import org.nifimemmap.zarr.ZarrFormat;
import org.nifimemmap.zarr.ZarrWriter;

/**
 * Restricts a recording to a set of time intervals with pynapple's {@code restrict} rules (a sample at t is
 * kept when start &lt;= t &lt;= end; see {@link SampleSelection}), writing one output segment per interval
 * that keeps samples.
 *
 * <p>Cost follows the output: only the chunk rows (or, for a raw input, the bytes) holding kept samples are
 * read. Chunk rows are read and decoded ahead on the executor, gathered into output chunks in order on the
 * calling thread, and encoded and written on the executor; a fixed number of buffers bounds both heap and
 * work in flight, whatever the recording's size.
 */
public final class RestrictEngine {
    private RestrictEngine() {
    }

    /** Where the rows of one read unit go. */
    private record Copy(int output, int rowInUnit, int rows) {
    }

    /** Kept samples of all source segments, and the units to read for them. */
    private record Plan(List<OutputSegment> outputs, List<ReadUnit> units, List<List<Copy>> copies) {
    }

    /**
     * Runs a restriction. {@code executor} runs chunk decoding and encoding (null: everything on the
     * calling thread); it is not shut down.
     */
    public static RestrictResult restrict(RestrictRequest request, ExecutorService executor) {
        checkPaths(request);
        Executor exec = executor == null ? Runnable::run : executor;
        int parallelism = parallelism(executor);
        try (RecordingSource source = open(request)) {
            Plan plan = plan(source, request.intervals());
            List<String> notes = new ArrayList<>(request.intervals().notes());
            notes.addAll(source.notes());
            return request.outputFormat() == RestrictRequest.OutputFormat.ZARR
                    ? writeZarr(request, source, plan, notes, exec, parallelism)
                    : writeRaw(request, source, plan, notes, exec, parallelism);
        }
    }

    private static void checkPaths(RestrictRequest request) {
        Path in = request.input().toAbsolutePath().normalize();
        Path out = request.output().toAbsolutePath().normalize();
        if (out.startsWith(in) || in.startsWith(out)) {
            throw new MemmapException(ErrorKind.INVALID_CONFIG, "Output " + out + " and input " + in
                    + " overlap; the input is never modified, choose another output path");
        }
    }

    private static RecordingSource open(RestrictRequest request) {
        return switch (request.inputKind()) {
            case ZARR_RECORDING -> ZarrSource.openRecording(request.input(), request.samplingFrequency());
            case ZARR_ARRAY -> ZarrSource.openArray(request.input(), request.samplingFrequency());
            case RAW -> new RawSource(request.input(), request.raw());
        };
    }

    private static int parallelism(ExecutorService executor) {
        if (executor instanceof ThreadPoolExecutor tpe) {
            return Math.max(1, tpe.getMaximumPoolSize());
        }
        if (executor instanceof ForkJoinPool fjp) {
            return fjp.getParallelism();
        }
        return executor == null ? 1 : Runtime.getRuntime().availableProcessors();
    }

    private static Plan plan(RecordingSource source, IntervalSet intervals) {
        List<OutputSegment> outputs = new ArrayList<>();
        List<ReadUnit> units = new ArrayList<>();
        List<List<Copy>> copies = new ArrayList<>();
        for (int s = 0; s < source.segmentCount(); s++) {
            SampleClock clock = new SampleClock(source.segmentStart(s), source.samplingFrequency(), source.segmentSamples(s));
            List<SampleRange> ranges = SampleSelection.select(intervals, clock);
            int firstOutput = outputs.size();
            for (SampleRange r : ranges) {
                outputs.add(new OutputSegment(outputs.size(), s, r));
            }
            int p = 0;
            for (ReadUnit u : source.units(s, ranges)) {
                List<Copy> here = new ArrayList<>(1);
                while (p < ranges.size() && ranges.get(p).endExclusive() <= u.firstRow()) {
                    p++;
                }
                for (int q = p; q < ranges.size() && ranges.get(q).first() < u.endRow(); q++) {
                    SampleRange r = ranges.get(q);
                    long from = Math.max(r.first(), u.firstRow());
                    long to = Math.min(r.endExclusive(), u.endRow());
                    here.add(new Copy(firstOutput + q, (int) (from - u.firstRow()), (int) (to - from)));
                }
                units.add(u);
                copies.add(here);
            }
        }
        return new Plan(outputs, units, copies);
    }

    /** Reads the plan's units ahead on the executor and hands their kept rows to the sink in order; returns bytes read. */
    private static long stream(RecordingSource source, Plan plan, SegmentSink sink, Executor exec, int parallelism) throws IOException {
        int rowBytes = source.channels() * source.dtype().size();
        int unitBytes = Math.multiplyExact(source.maxUnitRows(), rowBytes);
        int ahead = parallelism + 1;
        ArrayDeque<byte[]> free = new ArrayDeque<>();
        ArrayDeque<CompletableFuture<Long>> pending = new ArrayDeque<>();
        ArrayDeque<byte[]> pendingBuffers = new ArrayDeque<>();
        long bytesRead = 0;
        int next = 0;
        int current = -1;
        List<ReadUnit> units = plan.units();
        try {
            for (int i = 0; i < units.size(); i++) {
                while (next < units.size() && pending.size() < ahead) {
                    byte[] buf = free.isEmpty() ? new byte[unitBytes] : free.poll();
                    ReadUnit unit = units.get(next++);
                    pending.add(CompletableFuture.supplyAsync(() -> source.read(unit, buf), exec));
                    pendingBuffers.add(buf);
                }
                byte[] buf = pendingBuffers.poll();
                bytesRead += join(pending.poll());
                for (Copy c : plan.copies().get(i)) {
                    if (c.output() != current) {
                        if (current >= 0) {
                            sink.end();
                        }
                        current = c.output();
                        sink.begin(plan.outputs().get(current));
                    }
                    sink.write(buf, c.rowInUnit() * rowBytes, c.rows());
                }
                free.add(buf);
            }
            if (current >= 0) {
                sink.end();
            }
            sink.finish();
            return bytesRead;
        } finally {
            for (CompletableFuture<Long> f : pending) {
                try {
                    f.join();
                } catch (RuntimeException e) {
                    // Already failing; the first error is the one reported.
                }
            }
        }
    }

    private static long join(CompletableFuture<Long> f) {
        try {
            return f.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    private static RestrictResult writeZarr(RestrictRequest request, RecordingSource source, Plan plan, List<String> notes,
                                            Executor exec, int parallelism) {
        try (AtomicOutput out = AtomicOutput.begin(request.output(), request.conflict())) {
            if (out.skipped()) {
                return skipped(request, notes);
            }
            Path dir = out.temporary();
            Files.createDirectories(dir);
            ZarrFormat format = outputFormat(request, source);
            // A raw source has no codec to keep: it gets zstd, the converter's default.
            Compression compression = request.compression() == null && source.format() == null ? Compression.ZSTD : request.compression();
            JsonNode compressor = source.compressor();
            List<JsonNode> filters = source.filters();
            if (compression != null) {
                int level = compression.resolveLevel(request.compression() == null ? -1 : request.compressionLevel());
                compressor = compression.compressorConfig(level, source.dtype().size());
                filters = compression.filterConfigs(source.dtype().size());
            }
            // Chunk keys keep the source's separator only within its own format.
            String separator = format == source.format() ? source.dimensionSeparator() : format == ZarrFormat.V3 ? "/" : ".";
            int chunkRows = chunkRows(request, source);
            checkShards(request, format, chunkRows);
            long bytesRead;
            long written;
            try (ZarrSink sink = new ZarrSink(dir, format, source.channels(), source.dtype(), chunkRows, request.shardSamples(),
                    source.defaultChunkCols(), compressor, filters, source.fillValue(), separator, exec, parallelism + 1)) {
                bytesRead = stream(source, plan, sink, exec, parallelism);
                written = sink.bytesWritten();
            }
            written += source.writeExtras(dir, format, notes);
            written += writeTStarts(dir, format, plan.outputs());
            written += ZarrWriter.writeGroup(dir, format, groupAttributes(request, source, plan, notes));
            return out.commit() ? result(request, plan, bytesRead, written, notes) : skipped(request, notes);
        } catch (IOException e) {
            throw AtomicOutput.writeFailure(request.output(), e);
        }
    }

    private static ZarrFormat outputFormat(RestrictRequest request, RecordingSource source) {
        if (request.zarrFormat() != null) {
            return request.zarrFormat();
        }
        return source.format() != null ? source.format() : ZarrFormat.V2;
    }

    private static void checkShards(RestrictRequest request, ZarrFormat format, int chunkRows) {
        int shard = request.shardSamples();
        if (shard > 0 && format != ZarrFormat.V3) {
            throw new MemmapException(ErrorKind.INVALID_CONFIG, "Shards of " + shard + " samples need Zarr format v3; the output is "
                    + format.label() + " (one file per chunk)");
        }
        if (shard % chunkRows != 0) {
            throw new MemmapException(ErrorKind.INVALID_CONFIG, "Shard size " + shard + " samples is not a multiple of the chunk size "
                    + chunkRows + " samples: a shard holds whole chunks");
        }
    }

    private static int chunkRows(RestrictRequest request, RecordingSource source) {
        int rows = request.chunkSamples() > 0 ? request.chunkSamples() : source.defaultChunkRows();
        long bytes = (long) rows * source.channels() * source.dtype().size();
        if (bytes > (256L << 20)) {
            throw new MemmapException(ErrorKind.INVALID_CONFIG, "Chunks of " + rows + " samples x " + source.channels()
                    + " channels exceed 256 MiB");
        }
        return rows;
    }

    private static long writeTStarts(Path dir, ZarrFormat format, List<OutputSegment> outputs) throws IOException {
        int n = outputs.size();
        long[] shape = {n};
        int[] chunk = {Math.max(1, n)};
        JsonNode nan = Json.object().textNode("NaN");
        ZarrArrayMetadata md = format == ZarrFormat.V3 ? ZarrArrayMetadata.v3(shape, chunk, null, ZarrDtype.FLOAT64, null, List.of(), nan)
                : new ZarrArrayMetadata(shape, chunk, ZarrDtype.FLOAT64, null, List.of(), nan, ".");
        ObjectNode attrs = Json.object();
        attrs.putArray("_ARRAY_DIMENSIONS").add("segment");
        if (n == 0) {
            return ZarrWriter.createArray(dir.resolve("t_starts"), md, attrs);
        }
        ByteBuffer values = ByteBuffer.allocate(n * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (OutputSegment o : outputs) {
            values.putDouble(o.range().firstTime());
        }
        return ZarrWriter.writeSmallArray(dir.resolve("t_starts"), md, attrs, values.array());
    }

    private static ObjectNode groupAttributes(RestrictRequest request, RecordingSource source, Plan plan, List<String> notes) {
        ObjectNode attrs = source.groupAttributes();
        attrs.put("sampling_frequency", source.samplingFrequency());
        attrs.put("num_segments", plan.outputs().size());
        attrs.set("time_support", timeSupport(request.intervals()));
        attrs.set("nifi_memmap_restrict", provenance(request, plan, notes));
        return attrs;
    }

    private static ObjectNode timeSupport(IntervalSet intervals) {
        ObjectNode support = Json.object();
        ArrayNode starts = support.putArray("start");
        ArrayNode ends = support.putArray("end");
        for (int i = 0; i < intervals.size(); i++) {
            starts.add(intervals.start(i));
            ends.add(intervals.end(i));
        }
        return support;
    }

    private static ObjectNode provenance(RestrictRequest request, Plan plan, List<String> notes) {
        ObjectNode p = Json.object();
        p.put("source", request.input().toAbsolutePath().toString());
        p.put("source_kind", request.inputKind().name().toLowerCase(Locale.ROOT));
        p.put("rule", "pynapple restrict: start <= t <= end, t = round(t0 + i / fs, 9)");
        p.put("intervals_given", request.intervals().size());
        p.put("intervals_kept", plan.outputs().size());
        ArrayNode n = p.putArray("notes");
        notes.forEach(n::add);
        ArrayNode segments = p.putArray("segments");
        for (OutputSegment o : plan.outputs()) {
            segments.add(segmentJson(o, request.intervals()));
        }
        return p;
    }

    private static ObjectNode segmentJson(OutputSegment o, IntervalSet intervals) {
        ObjectNode s = Json.object();
        s.put("interval", o.range().interval());
        s.put("interval_start", intervals.start(o.range().interval()));
        s.put("interval_end", intervals.end(o.range().interval()));
        s.put("source_segment", o.sourceSegment());
        s.put("source_first_sample", o.range().first());
        s.put("num_samples", o.range().count());
        s.put("t_start", o.range().firstTime());
        return s;
    }

    private static RestrictResult writeRaw(RestrictRequest request, RecordingSource source, Plan plan, List<String> notes,
                                           Executor exec, int parallelism) {
        Path sidecarPath = request.output().resolveSibling(request.output().getFileName() + ".json");
        try (AtomicOutput data = AtomicOutput.begin(request.output(), request.conflict());
             AtomicOutput sidecar = AtomicOutput.begin(sidecarPath, request.conflict())) {
            if (data.skipped() || sidecar.skipped()) {
                return skipped(request, notes);
            }
            long bytesRead;
            long written;
            List<RawSink.Placed> placed;
            try (RawSink sink = new RawSink(data.temporary(), source.channels() * source.dtype().size())) {
                bytesRead = stream(source, plan, sink, exec, parallelism);
                written = sink.bytesWritten();
                placed = sink.placed();
            }
            ObjectNode json = Json.object();
            json.put("format", "nifi-memmap restricted raw recording");
            json.put("data_file", request.output().getFileName().toString());
            json.put("sampling_frequency", source.samplingFrequency());
            json.put("num_channels", source.channels());
            json.put("dtype", source.dtype().descriptor());
            json.put("byte_order", source.dtype().order() == ByteOrder.BIG_ENDIAN ? "big" : "little");
            json.put("layout", "interleaved: sample-major, channel-minor");
            json.put("num_samples", SampleSelection.totalSamples(plan.outputs().stream().map(OutputSegment::range).toList()));
            json.put("num_segments", plan.outputs().size());
            ArrayNode segments = json.putArray("segments");
            for (RawSink.Placed pl : placed) {
                ObjectNode s = segmentJson(pl.segment(), request.intervals());
                s.put("first_sample", pl.outputFirstSample());
                segments.add(s);
            }
            json.set("time_support", timeSupport(request.intervals()));
            ObjectNode provenance = provenance(request, plan, notes);
            provenance.remove("segments");
            json.set("nifi_memmap_restrict", provenance);
            byte[] bytes = Json.MAPPER.writeValueAsBytes(json);
            Files.write(sidecar.temporary(), bytes);
            written += bytes.length;
            boolean dataPlaced = data.commit();
            // The sidecar follows its data: when another writer's data was kept, its sidecar is kept too.
            if (dataPlaced) {
                sidecar.commit();
            }
            return dataPlaced ? result(request, plan, bytesRead, written, notes) : skipped(request, notes);
        } catch (IOException e) {
            throw AtomicOutput.writeFailure(request.output(), e);
        }
    }

    private static RestrictResult skipped(RestrictRequest request, List<String> notes) {
        return new RestrictResult(request.output(), request.intervals().size(), 0, 0, 0, 0, notes, false, true);
    }

    private static RestrictResult result(RestrictRequest request, Plan plan, long bytesRead, long written, List<String> notes) {
        long samples = SampleSelection.totalSamples(plan.outputs().stream().map(OutputSegment::range).toList());
        List<String> all = new ArrayList<>(notes);
        if (plan.outputs().isEmpty()) {
            all.add("no sample of the recording lies inside the intervals; the output holds no segment");
        } else if (plan.outputs().size() < request.intervals().size()) {
            int dropped = request.intervals().size() - plan.outputs().size();
            all.add(dropped + " interval" + (dropped == 1 ? "" : "s") + " kept no sample (outside the recording or between samples)");
        }
        return new RestrictResult(request.output(), request.intervals().size(), plan.outputs().size(), samples, bytesRead,
                written, all, plan.outputs().isEmpty(), false);
    }
}
