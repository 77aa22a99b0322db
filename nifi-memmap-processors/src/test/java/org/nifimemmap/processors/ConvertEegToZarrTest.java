package org.nifimemmap.processors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.nifi.provenance.ProvenanceEventRecord;
import org.apache.nifi.provenance.ProvenanceEventType;
import org.apache.nifi.util.MockFlowFile;
import org.apache.nifi.util.TestRunner;
import org.apache.nifi.util.TestRunners;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nifimemmap.zarr.ZarrArray;
import org.nifimemmap.zarr.ZarrFormat;
import org.nifimemmap.zarr.ZarrGroup;

class ConvertEegToZarrTest {
    @TempDir
    Path dir;
    Path raw;
    Path out;
    TestRunner runner;

    @BeforeEach
    void setUp() throws IOException {
        raw = Files.createDirectory(dir.resolve("raw"));
        out = Files.createDirectory(dir.resolve("zarr"));
        runner = TestRunners.newTestRunner(ConvertEegToZarr.class);
        runner.setProperty(FileProperties.OUTPUT_DIRECTORY, out.toString());
    }

    /** Writes an int16 little-endian recording whose sample (i, c) is i * 7 + c, wrapped to int16. */
    private Path recording(String name, int channels, int samples) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(channels * samples * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < samples; i++) {
            for (int c = 0; c < channels; c++) {
                b.putShort((short) (i * 7 + c));
            }
        }
        return Files.write(raw.resolve(name), b.array());
    }

    private void enqueue(Path file) {
        runner.enqueue("content stays", Map.of("absolute.path", file.getParent().toString(), "filename", file.getFileName().toString()));
    }

    private MockFlowFile onlyFailure(String type) {
        runner.assertAllFlowFilesTransferred(ConvertEegToZarr.REL_FAILURE, 1);
        MockFlowFile f = runner.getFlowFilesForRelationship(ConvertEegToZarr.REL_FAILURE).getFirst();
        f.assertAttributeEquals("memmap.error.type", type);
        assertTrue(runner.getPenalizedFlowFiles().contains(f), "failed FlowFile is penalized");
        return f;
    }

    private long entriesIn(Path directory) throws IOException {
        try (Stream<Path> s = Files.list(directory)) {
            return s.count();
        }
    }

    @Test
    void convertsRecordingAndWritesAttributesProvenanceAndCounters() throws IOException {
        Path input = recording("session1.dat", 4, 10_000);
        byte[] before = Files.readAllBytes(input);
        runner.setProperty(RecordingProperties.CHANNELS, "4");
        runner.setProperty(RecordingProperties.SAMPLING_RATE, "1250");
        runner.setProperty(ConvertEegToZarr.CHUNK_SIZE, "3000");
        enqueue(input);
        runner.run();

        runner.assertAllFlowFilesTransferred(ConvertEegToZarr.REL_SUCCESS, 1);
        MockFlowFile f = runner.getFlowFilesForRelationship(ConvertEegToZarr.REL_SUCCESS).getFirst();
        Path zarr = out.resolve("session1.zarr");
        f.assertAttributeEquals("zarr.path", zarr.toString());
        f.assertAttributeEquals("eeg.channels", "4");
        f.assertAttributeEquals("eeg.samples", "10000");
        f.assertAttributeEquals("eeg.sampling_rate", "1250.0");
        f.assertAttributeEquals("eeg.duration_s", "8.0");
        f.assertAttributeEquals("zarr.outcome", "created");
        f.assertAttributeExists("eeg.input.fingerprint");
        f.assertContentEquals("content stays");
        assertTrue(Files.isRegularFile(zarr.resolve("traces_seg0/.zarray")));
        // 10,000 samples in chunks of 3,000: chunks 0..3, the last one padded.
        for (int chunk = 0; chunk < 4; chunk++) {
            assertTrue(Files.isRegularFile(zarr.resolve("traces_seg0/" + chunk + ".0")), "chunk " + chunk);
        }
        assertArrayEquals(before, Files.readAllBytes(input), "input unchanged");
        assertEquals(1, entriesIn(out), "no temporaries left");

        List<ProvenanceEventRecord> events = runner.getProvenanceEvents();
        assertEquals(1, events.size());
        assertEquals(ProvenanceEventType.SEND, events.getFirst().getEventType());
        assertEquals(zarr.toUri().toString(), events.getFirst().getTransitUri());
        assertEquals(1, runner.getCounterValue("Recordings converted"));
        assertEquals(80_000, runner.getCounterValue("Bytes converted"));
    }

    @Test
    void readsChannelsAndRateFromNeuroscopeXmlBesideTheRecording() throws IOException {
        Path input = recording("rat.eeg", 3, 500);
        Files.writeString(raw.resolve("rat.xml"), """
                <?xml version='1.0'?>
                <parameters version="1.0" creator="neuroscope-2.0.0">
                 <acquisitionSystem><nBits>16</nBits><nChannels>3</nChannels><samplingRate>20000</samplingRate></acquisitionSystem>
                 <fieldPotentials><lfpSamplingRate>1250</lfpSamplingRate></fieldPotentials>
                </parameters>
                """);
        enqueue(input);
        runner.run();
        runner.assertAllFlowFilesTransferred(ConvertEegToZarr.REL_SUCCESS, 1);
        MockFlowFile f = runner.getFlowFilesForRelationship(ConvertEegToZarr.REL_SUCCESS).getFirst();
        f.assertAttributeEquals("eeg.channels", "3");
        f.assertAttributeEquals("eeg.sampling_rate", "1250.0"); // .eeg takes lfpSamplingRate
        f.assertAttributeEquals("eeg.samples", "500");
    }

    @Test
    void expressionLanguageReadsParametersFromAttributes() throws IOException {
        Path input = recording("probe.bin", 2, 100);
        runner.setProperty(RecordingProperties.CHANNELS, "${probe.channels}");
        runner.setProperty(RecordingProperties.SAMPLING_RATE, "${probe.rate}");
        runner.setProperty(ConvertEegToZarr.OUTPUT_NAME, "${probe.id}.zarr");
        runner.enqueue("", Map.of("absolute.path", raw.toString(), "filename", "probe.bin",
                "probe.channels", "2", "probe.rate", "30000.5", "probe.id", "P7"));
        runner.run();
        runner.assertAllFlowFilesTransferred(ConvertEegToZarr.REL_SUCCESS, 1);
        MockFlowFile f = runner.getFlowFilesForRelationship(ConvertEegToZarr.REL_SUCCESS).getFirst();
        f.assertAttributeEquals("zarr.path", out.resolve("P7.zarr").toString());
        f.assertAttributeEquals("eeg.sampling_rate", "30000.5");
    }

    @ParameterizedTest(name = "{0} = ''{1}'' is invalid")
    @CsvSource(delimiter = '|', value = {
            "Number of Channels|0", "Number of Channels|70000", "Number of Channels|four",
            "Sampling Rate|0", "Sampling Rate|-1250", "Sampling Rate|fast", "Sampling Rate|Infinity",
            "Header Size|-1", "Chunk Size|0", "Compression Level|23", "Compression Threads|0",
            "Sample Type|int8", "Byte Order|middle", "Compression|lzma", "Conflict Resolution|overwrite"})
    void validatorsRejectBadValues(String property, String value) {
        runner.setProperty(property, value);
        runner.assertNotValid();
    }

    @Test
    void outputDirectoryIsRequired() {
        runner.removeProperty(FileProperties.OUTPUT_DIRECTORY);
        runner.assertNotValid();
    }

    @Test
    void missingInputGoesToFailure() {
        runner.setProperty(RecordingProperties.CHANNELS, "4");
        runner.setProperty(RecordingProperties.SAMPLING_RATE, "1000");
        enqueue(raw.resolve("absent.dat"));
        runner.run();
        MockFlowFile f = onlyFailure("input-not-found");
        assertTrue(f.getAttribute("memmap.error.message").contains("absent.dat"));
        assertEquals(1, runner.getCounterValue("Conversions failed"));
    }

    @Test
    void unreadableInputGoesToFailure() throws IOException {
        // A directory where the recording should be: it exists but cannot be read as a file (root reads any file).
        runner.setProperty(RecordingProperties.CHANNELS, "4");
        runner.setProperty(RecordingProperties.SAMPLING_RATE, "1000");
        enqueue(Files.createDirectory(raw.resolve("folder.dat")));
        runner.run();
        assertTrue(onlyFailure("input-unreadable").getAttribute("memmap.error.message").contains("folder.dat"));
        assertEquals(0, entriesIn(out));
    }

    @Test
    void emptyInputGoesToFailure() throws IOException {
        runner.setProperty(RecordingProperties.CHANNELS, "4");
        runner.setProperty(RecordingProperties.SAMPLING_RATE, "1000");
        enqueue(Files.write(raw.resolve("empty.dat"), new byte[0]));
        runner.run();
        assertTrue(onlyFailure("invalid-input").getAttribute("memmap.error.message").contains("empty"));
    }

    @Test
    void partialFrameSaysHowManyBytesAreLeftOver() throws IOException {
        Path input = recording("cut.dat", 4, 100);
        Files.write(input, new byte[]{1, 2, 3}, java.nio.file.StandardOpenOption.APPEND);
        runner.setProperty(RecordingProperties.CHANNELS, "4");
        runner.setProperty(RecordingProperties.SAMPLING_RATE, "1000");
        enqueue(input);
        runner.run();
        String message = onlyFailure("invalid-input").getAttribute("memmap.error.message");
        assertTrue(message.contains("3 bytes"), message);
        assertEquals(0, entriesIn(out));
    }

    @Test
    void headerLargerThanFileGoesToFailure() throws IOException {
        Path input = recording("small.dat", 2, 10);
        runner.setProperty(RecordingProperties.CHANNELS, "2");
        runner.setProperty(RecordingProperties.SAMPLING_RATE, "1000");
        runner.setProperty(RecordingProperties.HEADER_SIZE, "4096");
        enqueue(input);
        runner.run();
        assertTrue(onlyFailure("invalid-config").getAttribute("memmap.error.message").contains("4096"));
    }

    @Test
    void noChannelsAndNoXmlIsAClearError() throws IOException {
        Path input = recording("bare.dat", 2, 10);
        runner.setProperty(RecordingProperties.SAMPLING_RATE, "1000");
        enqueue(input);
        runner.run();
        assertTrue(onlyFailure("invalid-config").getAttribute("memmap.error.message").contains("bare"));
    }

    @Test
    void nonNumericChannelsFromAttributeIsAClearError() throws IOException {
        Path input = recording("x.dat", 2, 10);
        runner.setProperty(RecordingProperties.CHANNELS, "${ch}");
        runner.setProperty(RecordingProperties.SAMPLING_RATE, "1000");
        runner.enqueue("", Map.of("absolute.path", raw.toString(), "filename", "x.dat", "ch", "two"));
        runner.run();
        assertTrue(onlyFailure("invalid-config").getAttribute("memmap.error.message").contains("two"));
    }

    @Test
    void conflictStrategies() throws IOException {
        Path input = recording("rec.dat", 2, 100);
        runner.setProperty(RecordingProperties.CHANNELS, "2");
        runner.setProperty(RecordingProperties.SAMPLING_RATE, "1000");
        enqueue(input);
        runner.run();
        runner.assertAllFlowFilesTransferred(ConvertEegToZarr.REL_SUCCESS, 1);
        Path zarr = out.resolve("rec.zarr");
        byte[] firstMeta = Files.readAllBytes(zarr.resolve(".zattrs"));

        runner.clearTransferState();
        enqueue(input);
        runner.run();
        onlyFailure("output-exists");

        runner.clearTransferState();
        runner.setProperty(FileProperties.CONFLICT_RESOLUTION, "ignore");
        enqueue(input);
        runner.run();
        runner.assertAllFlowFilesTransferred(ConvertEegToZarr.REL_SUCCESS, 1);
        runner.getFlowFilesForRelationship(ConvertEegToZarr.REL_SUCCESS).getFirst().assertAttributeEquals("zarr.outcome", "ignored");
        assertArrayEquals(firstMeta, Files.readAllBytes(zarr.resolve(".zattrs")));

        runner.clearTransferState();
        runner.setProperty(FileProperties.CONFLICT_RESOLUTION, "replace");
        runner.setProperty(ConvertEegToZarr.COMPRESSION, "gzip");
        enqueue(input);
        runner.run();
        runner.assertAllFlowFilesTransferred(ConvertEegToZarr.REL_SUCCESS, 1);
        runner.getFlowFilesForRelationship(ConvertEegToZarr.REL_SUCCESS).getFirst().assertAttributeEquals("zarr.outcome", "replaced");
        assertTrue(Files.readString(zarr.resolve("traces_seg0/.zarray")).contains("gzip"));
        assertEquals(1, entriesIn(out), "old store and temporaries are gone");
    }

    @Test
    void missingOutputDirectoriesAreCreatedByDefault() throws IOException {
        Path nested = dir.resolve("new/session/zarr");
        runner.setProperty(FileProperties.OUTPUT_DIRECTORY, nested.toString());
        runner.setProperty(RecordingProperties.CHANNELS, "2");
        runner.setProperty(RecordingProperties.SAMPLING_RATE, "1000");
        enqueue(recording("r.dat", 2, 10));
        runner.run();
        runner.assertAllFlowFilesTransferred(ConvertEegToZarr.REL_SUCCESS, 1);
        assertTrue(Files.isRegularFile(nested.resolve("r.zarr/traces_seg0/.zarray")));
    }

    @Test
    void missingOutputDirectoryGoesToFailureWhenNotToBeCreated() throws IOException {
        runner.setProperty(FileProperties.OUTPUT_DIRECTORY, dir.resolve("nowhere").toString());
        runner.setProperty(FileProperties.CREATE_DIRECTORIES, "false");
        runner.setProperty(RecordingProperties.CHANNELS, "2");
        runner.setProperty(RecordingProperties.SAMPLING_RATE, "1000");
        enqueue(recording("r.dat", 2, 10));
        runner.run();
        assertTrue(onlyFailure("output-unwritable").getAttribute("memmap.error.message").contains("nowhere"));
        assertFalse(Files.exists(dir.resolve("nowhere")));
    }

    @Test
    void emptyParameterValuesMeanNotSet() throws IOException {
        // An empty parameter reaches the processor as '' on a real node: channels and rate then come from the XML.
        Path input = recording("r.dat", 2, 10);
        Files.writeString(input.resolveSibling("r.xml"), "<parameters><acquisitionSystem><nChannels>2</nChannels>"
                + "<samplingRate>1000</samplingRate></acquisitionSystem></parameters>");
        runner.setProperty(FileProperties.OUTPUT_DIRECTORY, dir.toString());
        runner.setProperty(RecordingProperties.CHANNELS, "");
        runner.setProperty(RecordingProperties.SAMPLING_RATE, "");
        runner.setProperty(ConvertEegToZarr.OUTPUT_NAME, "");
        runner.setProperty(ConvertEegToZarr.CHUNK_SIZE, "");
        runner.setProperty(RecordingProperties.COMPRESSION_LEVEL, "");
        runner.setProperty(RecordingProperties.THREADS, "");
        runner.assertValid();
        enqueue(input);
        runner.run();
        runner.assertAllFlowFilesTransferred(ConvertEegToZarr.REL_SUCCESS, 1);
        assertTrue(Files.isDirectory(dir.resolve("r.zarr")));
    }

    @Test
    void unwritableOutputDirectoryGoesToFailure() throws Exception {
        Path locked = Files.createDirectory(dir.resolve("locked"));
        Path input = recording("r.dat", 2, 10);
        byte[] before = Files.readAllBytes(input);
        runner.setProperty(FileProperties.OUTPUT_DIRECTORY, locked.toString());
        runner.setProperty(RecordingProperties.CHANNELS, "2");
        runner.setProperty(RecordingProperties.SAMPLING_RATE, "1000");
        enqueue(input);
        // Root ignores permission bits, so as root the directory is a read-only mount instead.
        if (locked.toFile().setWritable(false, false) && !Files.isWritable(locked)) {
            runner.run();
        } else {
            try (SmallFileSystem fs = SmallFileSystem.mountReadOnly(locked)) {
                runner.run();
                assertEquals(0, entriesIn(locked), "nothing written to the read-only directory");
            }
        }
        String message = onlyFailure("output-unwritable").getAttribute("memmap.error.message");
        assertTrue(message.contains(locked.toString()), message);
        assertArrayEquals(before, Files.readAllBytes(input));
    }

    @Test
    void diskFullMidWriteLeavesNothingBehind() throws Exception {
        Path small = Files.createDirectory(dir.resolve("tiny-fs"));
        try (SmallFileSystem fs = SmallFileSystem.mount(small, "1m")) {
            // 8 MB of incompressible noise cannot fit in 1 MB.
            ByteBuffer b = ByteBuffer.allocate(8 << 20);
            new Random(1).nextBytes(b.array());
            Path input = Files.write(raw.resolve("big.dat"), b.array());
            runner.setProperty(FileProperties.OUTPUT_DIRECTORY, small.toString());
            runner.setProperty(RecordingProperties.CHANNELS, "8");
            runner.setProperty(RecordingProperties.SAMPLING_RATE, "20000");
            runner.setProperty(ConvertEegToZarr.COMPRESSION, "none");
            runner.setProperty(ConvertEegToZarr.CHUNK_SIZE, "4096");
            enqueue(input);
            runner.run();
            String message = onlyFailure("output-unwritable").getAttribute("memmap.error.message");
            assertTrue(message.contains("no space left"), message);
            assertEquals(0, entriesIn(small), "no partial output and no temporary left on the full file system");
            assertArrayEquals(b.array(), Files.readAllBytes(input));
        }
    }

    @Test
    void spikeGlxMetadataGivesChannelsRateAndGainAttributes() throws IOException {
        Path bin = recording("run_g0_t0.nidq.bin", 2, 500);
        Files.writeString(raw.resolve("run_g0_t0.nidq.meta"), "typeThis=nidq\nniSampRate=25000\nnSavedChans=2\nsnsMnMaXaDw=2,0,0,0\n"
                + "niAiRangeMax=5\nniMNGain=200\nfileSizeBytes=" + Files.size(bin) + "\n~snsChanMap=(2,0,0,0,1)(MN0;0:0)(MN1;1:1)\n");
        // Empty parameters are "not set": channels and rate come from the .meta.
        runner.setProperty(RecordingProperties.CHANNELS, "");
        runner.setProperty(RecordingProperties.SAMPLING_RATE, "");
        runner.setProperty(RecordingProperties.STREAM_NAME, "");
        enqueue(bin);
        runner.run();
        runner.assertAllFlowFilesTransferred(ConvertEegToZarr.REL_SUCCESS, 1);
        MockFlowFile f = runner.getFlowFilesForRelationship(ConvertEegToZarr.REL_SUCCESS).getFirst();
        f.assertAttributeEquals("eeg.format", "spikeglx");
        f.assertAttributeEquals("eeg.channels", "2");
        f.assertAttributeEquals("eeg.sampling_rate", "25000.0");
        f.assertAttributeEquals("eeg.gain_to_uV", Double.toString(5.0 / 32768 / 200 * 1e6));
        f.assertAttributeEquals("zarr.path", out.resolve("run_g0_t0.nidq.zarr").toString());
        assertTrue(Files.isDirectory(out.resolve("run_g0_t0.nidq.zarr/properties/gain_to_uV")));
    }

    @Test
    void openEphysStreamNamedByPropertyNamesTheOutput() throws IOException {
        Path stream = Files.createDirectories(raw.resolve("recording1/continuous/Acq-100.0"));
        Path dat = recording("x.dat", 2, 300);
        Files.move(dat, stream.resolve("continuous.dat"));
        Path oebin = Files.writeString(raw.resolve("recording1/structure.oebin"), "{\"continuous\": [{\"folder_name\": \"Acq-100.0/\","
                + " \"sample_rate\": 30000.0, \"num_channels\": 2, \"channels\": [{\"channel_name\": \"CH1\", \"bit_volts\": 0.195,"
                + " \"units\": \"uV\"}, {\"channel_name\": \"CH2\", \"bit_volts\": 0.195, \"units\": \"uV\"}]}]}");
        runner.setProperty(RecordingProperties.RECORDING_FORMAT, "openephys");
        runner.setProperty(RecordingProperties.STREAM_NAME, "${stream}");
        runner.enqueue("", Map.of("absolute.path", oebin.getParent().toString(), "filename", "structure.oebin", "stream", "Acq-100.0"));
        runner.run();
        runner.assertAllFlowFilesTransferred(ConvertEegToZarr.REL_SUCCESS, 1);
        MockFlowFile f = runner.getFlowFilesForRelationship(ConvertEegToZarr.REL_SUCCESS).getFirst();
        f.assertAttributeEquals("eeg.format", "openephys");
        f.assertAttributeEquals("eeg.gain_to_uV", "0.195");
        f.assertAttributeEquals("zarr.path", out.resolve("Acq-100.0.zarr").toString());
    }

    @Test
    void openEphysStructureWithSeveralStreamsGivesOneFlowFileEach() throws IOException {
        StringBuilder streams = new StringBuilder();
        for (String name : List.of("Acq-100.0", "Acq-100.1")) {
            Path folder = Files.createDirectories(raw.resolve("rec/continuous/" + name));
            Files.move(recording(name + ".dat", 1, 100), folder.resolve("continuous.dat"));
            streams.append(streams.isEmpty() ? "" : ",").append("{\"folder_name\": \"").append(name).append("/\", \"sample_rate\": 1000,"
                    + " \"num_channels\": 1, \"channels\": [{\"channel_name\": \"CH1\", \"bit_volts\": 0.5, \"units\": \"uV\"}]}");
        }
        Path oebin = Files.writeString(raw.resolve("rec/structure.oebin"), "{\"continuous\": [" + streams + "]}");
        enqueue(oebin);
        runner.run();
        runner.assertAllFlowFilesTransferred(ConvertEegToZarr.REL_SUCCESS, 2);
        List<MockFlowFile> out2 = runner.getFlowFilesForRelationship(ConvertEegToZarr.REL_SUCCESS);
        for (int i = 0; i < 2; i++) {
            MockFlowFile f = out2.get(i);
            f.assertAttributeEquals("eeg.stream", "Acq-100." + i);
            f.assertAttributeEquals("fragment.index", Integer.toString(i));
            f.assertAttributeEquals("fragment.count", "2");
            f.assertAttributeEquals("zarr.path", out.resolve("Acq-100." + i + ".zarr").toString());
            f.assertAttributeEquals("eeg.gain_to_uV", "0.5");
        }
        assertEquals(out2.get(0).getAttribute("fragment.identifier"), out2.get(1).getAttribute("fragment.identifier"));
    }

    @Test
    void zarrV3InShardsRoundTripsAndSaysItsFormat() throws IOException {
        Path input = recording("session1.dat", 4, 10_000);
        runner.setProperty(RecordingProperties.CHANNELS, "4");
        runner.setProperty(RecordingProperties.SAMPLING_RATE, "1250");
        runner.setProperty(ConvertEegToZarr.ZARR_FORMAT, "v3");
        runner.setProperty(ConvertEegToZarr.CHUNK_SIZE, "1000");
        runner.setProperty(ConvertEegToZarr.SHARD_SIZE, "4000");
        runner.setProperty(ConvertEegToZarr.COMPRESSION, "blosc-lz4");
        enqueue(input);
        runner.run();
        runner.assertAllFlowFilesTransferred(ConvertEegToZarr.REL_SUCCESS, 1);
        MockFlowFile f = runner.getFlowFilesForRelationship(ConvertEegToZarr.REL_SUCCESS).getFirst();
        f.assertAttributeEquals("zarr.format", "v3");
        Path zarr = out.resolve("session1.zarr");
        ZarrGroup group = ZarrGroup.open(zarr);
        assertEquals(ZarrFormat.V3, group.format());
        ZarrArray traces = group.array("traces_seg0");
        assertArrayEquals(new int[] {4000, 4}, traces.metadata().shards());
        assertArrayEquals(new int[] {1000, 4}, traces.metadata().chunks());
        try (Stream<Path> shards = Files.list(zarr.resolve("traces_seg0/c"))) {
            assertEquals(3, shards.count(), "10,000 samples in shards of 4,000");
        }
        byte[] chunk = new byte[traces.metadata().chunkBytes()];
        ByteBuffer expected = ByteBuffer.wrap(Files.readAllBytes(input));
        try (ZarrArray.ChunkReader reader = traces.chunkReader()) {
            for (int k = 0; k < 10; k++) {
                reader.read(new long[] {k, 0}, chunk);
                assertArrayEquals(Arrays.copyOfRange(expected.array(), k * 8000, (k + 1) * 8000), chunk, "chunk " + k);
            }
        }
    }

    @Test
    void zarrV2StaysTheDefaultAndSaysSo() throws IOException {
        Path input = recording("session1.dat", 4, 1000);
        runner.setProperty(RecordingProperties.CHANNELS, "4");
        runner.setProperty(RecordingProperties.SAMPLING_RATE, "1250");
        enqueue(input);
        runner.run();
        runner.getFlowFilesForRelationship(ConvertEegToZarr.REL_SUCCESS).getFirst().assertAttributeEquals("zarr.format", "v2");
        assertTrue(Files.exists(out.resolve("session1.zarr/.zgroup")));
    }

    @Test
    void shardSizeValidation() {
        runner.setProperty(ConvertEegToZarr.ZARR_FORMAT, "v3");
        runner.setProperty(ConvertEegToZarr.CHUNK_SIZE, "1000");
        runner.setProperty(ConvertEegToZarr.SHARD_SIZE, "2500");
        runner.assertNotValid();
        runner.setProperty(ConvertEegToZarr.SHARD_SIZE, "3000");
        runner.assertValid();
        runner.setProperty(ConvertEegToZarr.SHARD_SIZE, "0");
        runner.assertNotValid();
        runner.removeProperty(ConvertEegToZarr.CHUNK_SIZE);
        runner.setProperty(ConvertEegToZarr.SHARD_SIZE, "2500");
        runner.assertValid();
        runner.setProperty(ConvertEegToZarr.ZARR_FORMAT, "v4");
        runner.assertNotValid();
    }

    @Test
    void shardSizeWithoutADivisorNearTheDefaultChunkFailsTheFlowFile() throws IOException {
        // With Chunk Size empty the validator cannot check the shard: the engine picks chunks that divide it, or says why not.
        Path input = recording("session1.dat", 4, 10_000);
        runner.setProperty(RecordingProperties.CHANNELS, "4");
        runner.setProperty(RecordingProperties.SAMPLING_RATE, "1250");
        runner.setProperty(ConvertEegToZarr.ZARR_FORMAT, "v3");
        runner.setProperty(ConvertEegToZarr.SHARD_SIZE, "1048583");
        enqueue(input);
        runner.run();
        MockFlowFile f = onlyFailure("invalid-config");
        assertTrue(f.getAttribute("memmap.error.message").contains("Shard size 1048583 samples has no divisor near the default chunk size"),
                f.getAttribute("memmap.error.message"));
        assertEquals(0, entriesIn(out));
    }
}
