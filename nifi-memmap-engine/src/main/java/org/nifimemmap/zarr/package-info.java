/**
 * A small, spec-exact Zarr v2 and v3 layer for local stores: what this bundle writes, and what zarr-python
 * writes, read chunk by chunk without loading whole arrays. v3 arrays may be sharded ({@code sharding_indexed}):
 * a chunk is then read through its shard's index, only its own bytes ({@link org.nifimemmap.zarr.ChunkFiles}
 * writes shards; docs/zarr-layout.md describes the files).
 *
 * <h2>Reading</h2>
 * <pre>
 * ZarrGroup store = ZarrGroup.open(Path.of("rec.zarr"));
 * double fs = store.attributes().get("sampling_frequency").asDouble();
 * ZarrArray traces = store.array("traces_seg0");
 * ZarrArrayMetadata md = traces.metadata();          // shape, chunks, dtype, codecs, fill value
 * try (ZarrArray.ChunkReader reader = traces.chunkReader()) { // one per thread: owns codec state, buffers
 *     byte[] chunk = new byte[md.chunkBytes()];
 *     reader.read(new long[] {i, 0}, chunk);          // full chunk, C order, md.dtype().order()
 * }
 * </pre>
 * Edge chunks are stored full size (padded), so rows past {@code shape[0]} in the last chunk are padding.
 * Missing chunk files read as the fill value. Errors are {@link org.nifimemmap.io.MemmapException}s naming
 * the metadata or chunk file.
 *
 * <h2>Writing</h2>
 * {@link org.nifimemmap.zarr.ZarrWriter} writes {@code .zgroup}, {@code .zarray}, {@code .zattrs} (v2) or
 * {@code zarr.json} (v3) and small arrays; {@link org.nifimemmap.zarr.ChunkFiles} stores encoded chunks, in shard
 * files for a sharded array; {@link org.nifimemmap.zarr.ZarrArrayMetadata#newPipeline()} gives the (not thread-safe) encoder of
 * an array's filters and compressor.
 *
 * <h2>Codecs</h2>
 * One class per numcodecs codec behind {@link org.nifimemmap.zarr.Codec}: {@code shuffle}, {@code zstd},
 * {@code gzip}, {@code zlib}, {@code blosc} (c-blosc 1 frames; writes lz4/lz4hc, reads lz4/lz4hc/zstd/zlib,
 * byte, bit or no shuffle, so SpikeInterface's default {@code Blosc("zstd", shuffle=BITSHUFFLE)} stores read too).
 * Configurations are exactly what numcodecs 0.11 writes and accepts.
 */
package org.nifimemmap.zarr;
