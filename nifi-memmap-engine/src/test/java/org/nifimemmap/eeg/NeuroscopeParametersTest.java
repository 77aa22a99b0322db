package org.nifimemmap.eeg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nifimemmap.io.ErrorKind;
import org.nifimemmap.io.MemmapException;
import org.nifimemmap.io.SparseFiles;

class NeuroscopeParametersTest {
    /** The layout NeuroScope and the buzcode/neurosuite tools write. */
    static final String XML = """
            <?xml version="1.0" encoding="UTF-8"?>
            <parameters version="1.0" creator="neuroscope-1.3.3">
              <generalInfo><date>2024-01-01</date></generalInfo>
              <acquisitionSystem>
                <nBits>16</nBits>
                <nChannels>4</nChannels>
                <samplingRate>20000</samplingRate>
                <voltageRange>20</voltageRange>
                <amplification>1000</amplification>
                <offset>0</offset>
              </acquisitionSystem>
              <fieldPotentials>
                <lfpSamplingRate>1250</lfpSamplingRate>
              </fieldPotentials>
              <anatomicalDescription>
                <channelGroups><group><channel skip="0">0</channel><channel skip="0">1</channel></group></channelGroups>
              </anatomicalDescription>
            </parameters>
            """;

    @TempDir
    Path dir;

    @Test
    void readsAcquisitionSystemAndFieldPotentials() throws IOException {
        Files.writeString(dir.resolve("s.xml"), XML);
        NeuroscopeParameters p = NeuroscopeParameters.besideRecording(dir.resolve("s.dat")).orElseThrow();
        assertEquals(4, p.channels());
        assertEquals(20000.0, p.samplingRate());
        assertEquals(1250.0, p.lfpSamplingRate());
        assertEquals(16, p.bits());
        assertEquals(20.0, p.voltageRange());
        assertEquals(1000.0, p.amplification());
        assertEquals(20000.0, p.samplingRateFor(dir.resolve("s.dat")));
        assertEquals(1250.0, p.samplingRateFor(dir.resolve("s.eeg")));
        assertEquals(1250.0, p.samplingRateFor(dir.resolve("s.LFP")));
    }

    @Test
    void parameterFileLargerThanTheCapIsRefusedBeforeItIsParsed() throws IOException {
        Path xml = SparseFiles.longerThan(dir.resolve("big.xml"), NeuroscopeParameters.MAX_BYTES, ' ');
        MemmapException e = assertThrows(MemmapException.class, () -> NeuroscopeParameters.parse(xml));
        assertEquals(ErrorKind.INVALID_INPUT, e.kind());
        assertTrue(e.getMessage().contains(xml + " is " + (NeuroscopeParameters.MAX_BYTES + 1) + " bytes"), e.getMessage());
    }

    @Test
    void noXmlBesideTheRecordingIsEmpty() {
        assertFalse(NeuroscopeParameters.besideRecording(dir.resolve("x.dat")).isPresent());
        assertEquals(dir.resolve("amplifier.xml"), NeuroscopeParameters.xmlBeside(dir.resolve("amplifier.dat")));
        assertEquals(dir.resolve("noext.xml"), NeuroscopeParameters.xmlBeside(dir.resolve("noext")));
    }

    @Test
    void lfpRateFallsBackToTheFilesSection() throws IOException {
        String xml = """
                <parameters><acquisitionSystem><nChannels>2</nChannels><samplingRate>30000</samplingRate></acquisitionSystem>
                <files><file><extension>lfp</extension><samplingRate>1000</samplingRate></file></files></parameters>""";
        NeuroscopeParameters p = NeuroscopeParameters.parse(Files.writeString(dir.resolve("a.xml"), xml));
        assertNull(p.lfpSamplingRate());
        assertEquals(1000.0, p.samplingRateFor(dir.resolve("a.lfp")));
        MemmapException e = assertThrows(MemmapException.class, () -> p.samplingRateFor(dir.resolve("a.eeg")));
        assertEquals(ErrorKind.INVALID_INPUT, e.kind());
        assertTrue(e.getMessage().contains("lfpSamplingRate"), e.getMessage());
    }

    @Test
    void missingOrBadFieldsNameTheFileAndField() throws IOException {
        Path noChannels = Files.writeString(dir.resolve("a.xml"), "<parameters><acquisitionSystem><samplingRate>1</samplingRate></acquisitionSystem></parameters>");
        MemmapException e = assertThrows(MemmapException.class, () -> NeuroscopeParameters.parse(noChannels));
        assertEquals(ErrorKind.INVALID_INPUT, e.kind());
        assertTrue(e.getMessage().contains("nChannels") && e.getMessage().contains(noChannels.toString()), e.getMessage());

        Path badRate = Files.writeString(dir.resolve("b.xml"),
                "<parameters><acquisitionSystem><nChannels>2</nChannels><samplingRate>fast</samplingRate></acquisitionSystem></parameters>");
        e = assertThrows(MemmapException.class, () -> NeuroscopeParameters.parse(badRate));
        assertTrue(e.getMessage().contains("samplingRate") && e.getMessage().contains("'fast'"), e.getMessage());

        Path wrongRoot = Files.writeString(dir.resolve("c.xml"), "<session/>");
        e = assertThrows(MemmapException.class, () -> NeuroscopeParameters.parse(wrongRoot));
        assertTrue(e.getMessage().contains("<session>"), e.getMessage());
    }

    @Test
    void malformedXmlGivesTheLine() throws IOException {
        Path xml = Files.writeString(dir.resolve("m.xml"), "<parameters>\n<acquisitionSystem>\n<nChannels>2</nChanels>\n</parameters>");
        MemmapException e = assertThrows(MemmapException.class, () -> NeuroscopeParameters.parse(xml));
        assertEquals(ErrorKind.INVALID_INPUT, e.kind());
        assertTrue(e.getMessage().contains("line 3"), e.getMessage());
    }

    @Test
    void externalEntitiesAndDtdsAreRefused() throws IOException {
        Path secret = Files.writeString(dir.resolve("secret.txt"), "42");
        Path xml = Files.writeString(dir.resolve("x.xml"), "<?xml version=\"1.0\"?>\n<!DOCTYPE parameters [<!ENTITY n SYSTEM \""
                + secret.toUri() + "\">]>\n<parameters><acquisitionSystem><nChannels>&n;</nChannels><samplingRate>1</samplingRate>"
                + "</acquisitionSystem></parameters>");
        MemmapException e = assertThrows(MemmapException.class, () -> NeuroscopeParameters.parse(xml));
        assertEquals(ErrorKind.INVALID_INPUT, e.kind());
        assertTrue(e.getMessage().contains("DOCTYPE"), e.getMessage());
    }
}
