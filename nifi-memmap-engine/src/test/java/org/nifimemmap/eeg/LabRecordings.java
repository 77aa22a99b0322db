package org.nifimemmap.eeg;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Small recordings in the layouts acquisition systems write, with their metadata: SpikeGLX {@code .bin} + {@code .meta}
 * (keys as SpikeGLX's Metadata_30 documentation lists them), Open Ephys binary ({@code structure.oebin},
 * {@code continuous/<stream>/continuous.dat}, {@code sample_numbers.npy}) and a Neuroscope XML with channel groups.
 */
final class LabRecordings {
    static final int SAMPLES = 1000;
    /** 0.6 V / 512 steps / AP gain 500, in µV. */
    static final double NP1_AP500_UV = 0.6 / 512 / 500 * 1e6;

    private LabRecordings() {
    }

    /**
     * An imec AP file of 4 AP channels and 1 sync channel, 30 kHz, starting at sample 300 of the stream; AP2 has
     * gain 1000 in the imro table, the others 500.
     */
    static Path spikeGlxImec(Path dir) throws IOException {
        Path bin = Recordings.write(dir.resolve("run_g0_t0.imec0.ap.bin"), SampleType.INT16, ByteOrder.LITTLE_ENDIAN, 0, SAMPLES, 5);
        Files.writeString(dir.resolve("run_g0_t0.imec0.ap.meta"), String.join("\n",
                "acqApLfSy=384,384,1",
                "appVersion=20230815",
                "fileSizeBytes=" + Files.size(bin),
                "firstSample=300",
                "imAiRangeMax=0.6",
                "imAiRangeMin=-0.6",
                "imMaxInt=512",
                "imSampRate=30000",
                "nSavedChans=5",
                "snsApLfSy=4,0,1",
                "snsSaveChanSubset=all",
                "typeThis=imec",
                "~imroTbl=(0,4)(0 0 0 500 250 1)(1 0 0 500 250 1)(2 0 0 1000 250 1)(3 0 0 500 250 1)",
                "~snsChanMap=(4,0,1)(AP0;0:0)(AP1;1:1)(AP2;2:2)(AP3;3:3)(SY0;4:4)",
                "") );
        return bin;
    }

    /** An NI-DAQ file: 2 MA channels (gain 2), 1 XA, 1 digital word, 25 kHz, range 5 V. */
    static Path spikeGlxNidq(Path dir) throws IOException {
        Path bin = Recordings.write(dir.resolve("run_g0_t0.nidq.bin"), SampleType.INT16, ByteOrder.LITTLE_ENDIAN, 0, SAMPLES, 4);
        Files.writeString(dir.resolve("run_g0_t0.nidq.meta"), String.join("\r\n",
                "fileSizeBytes=" + Files.size(bin),
                "niAiRangeMax=5",
                "niAiRangeMin=-5",
                "niMAGain=2",
                "niMaxInt=32768",
                "niSampRate=25000",
                "nSavedChans=4",
                "snsMnMaXaDw=0,2,1,1",
                "snsSaveChanSubset=all",
                "typeThis=nidq",
                "~snsChanMap=(0,2,1,1,1)(MA0;0:0)(MA1;1:1)(XA0;2:2)(XD0;3:3)",
                ""));
        return bin;
    }

    /**
     * An Open Ephys record node folder with two streams: {@code Rhythm-100.A} (3 channels, 30 kHz, 0.195 µV, the third
     * an ADC channel in volts; sample_numbers from 6000) and {@code Rhythm-100.B} (2 channels, 1 kHz, 0.05 mV).
     * Returns the structure file.
     */
    static Path openEphys(Path dir) throws IOException {
        Path recording = Files.createDirectories(dir.resolve("Record Node 101/experiment1/recording1"));
        Path a = Files.createDirectories(recording.resolve("continuous/Rhythm-100.A"));
        Path b = Files.createDirectories(recording.resolve("continuous/Rhythm-100.B"));
        Recordings.write(a.resolve("continuous.dat"), SampleType.INT16, ByteOrder.LITTLE_ENDIAN, 0, SAMPLES, 3);
        Recordings.write(b.resolve("continuous.dat"), SampleType.INT16, ByteOrder.LITTLE_ENDIAN, 0, SAMPLES / 10, 2);
        writeInt64Npy(a.resolve("sample_numbers.npy"), 6000, SAMPLES);
        return Files.writeString(recording.resolve("structure.oebin"), """
                {
                    "GUI version": "0.6.7",
                    "continuous": [
                        {
                            "folder_name": "Rhythm-100.A/",
                            "sample_rate": 30000.0,
                            "source_processor_name": "Rhythm",
                            "source_processor_id": 100,
                            "stream_name": "A",
                            "recorded_processor": "Rhythm",
                            "recorded_processor_id": 100,
                            "num_channels": 3,
                            "channels": [
                                {"channel_name": "CH1", "description": "headstage", "identifier": "genericdata.continuous",
                                 "history": "Rhythm", "bit_volts": 0.195, "units": "uV"},
                                {"channel_name": "CH2", "description": "headstage", "identifier": "genericdata.continuous",
                                 "history": "Rhythm", "bit_volts": 0.195, "units": "uV"},
                                {"channel_name": "ADC1", "description": "ADC", "identifier": "genericdata.continuous",
                                 "history": "Rhythm", "bit_volts": 0.00015, "units": "V"}
                            ]
                        },
                        {
                            "folder_name": "Rhythm-100.B/",
                            "sample_rate": 1000.0,
                            "num_channels": 2,
                            "channels": [
                                {"channel_name": "LFP1", "bit_volts": 0.05, "units": "mV"},
                                {"channel_name": "LFP2", "bit_volts": 0.05, "units": "mV"}
                            ]
                        }
                    ],
                    "events": [],
                    "spikes": []
                }
                """);
    }

    /** A NumPy version 1.0 file of int64 values first, first + 1, ... as np.save writes it. */
    static void writeInt64Npy(Path file, long first, int count) throws IOException {
        String dict = "{'descr': '<i8', 'fortran_order': False, 'shape': (" + count + ",), }";
        int total = 10 + dict.length() + 1;
        int padded = (total + 63) / 64 * 64;
        String header = dict + " ".repeat(padded - total) + "\n";
        ByteBuffer buf = ByteBuffer.allocate(10 + header.length() + count * 8).order(ByteOrder.LITTLE_ENDIAN);
        buf.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
        buf.putShort((short) header.length());
        buf.put(header.getBytes(StandardCharsets.ISO_8859_1));
        for (int i = 0; i < count; i++) {
            buf.putLong(first + i);
        }
        Files.write(file, buf.array());
    }

    /**
     * A Neuroscope session of 4 channels at 20 kHz, 16 bits over 20 V with amplification 1000; group 0 holds
     * channels 1 and 0 (0 skipped), group 1 holds channel 3; channel 2 is in no group.
     */
    static Path neuroscope(Path dir) throws IOException {
        Files.writeString(dir.resolve("session.xml"), """
                <?xml version='1.0'?>
                <parameters version="1.0" creator="neuroscope-2.0.0">
                 <acquisitionSystem>
                  <nBits>16</nBits>
                  <nChannels>4</nChannels>
                  <samplingRate>20000</samplingRate>
                  <voltageRange>20</voltageRange>
                  <amplification>1000</amplification>
                  <offset>0</offset>
                 </acquisitionSystem>
                 <fieldPotentials><lfpSamplingRate>1250</lfpSamplingRate></fieldPotentials>
                 <anatomicalDescription>
                  <channelGroups>
                   <group><channel skip="0">1</channel><channel skip="1">0</channel></group>
                   <group><channel skip="0">3</channel></group>
                  </channelGroups>
                 </anatomicalDescription>
                </parameters>
                """);
        return Recordings.write(dir.resolve("session.dat"), SampleType.INT16, ByteOrder.LITTLE_ENDIAN, 0, SAMPLES, 4);
    }
}
