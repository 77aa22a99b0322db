package org.nifimemmap.eeg;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

class Crc32cCombinerTest {
    private static int crc(byte[] b, int off, int len) {
        CRC32C c = new CRC32C();
        c.update(b, off, len);
        return (int) c.getValue();
    }

    @Test
    void piecesAddedOutOfOrderGiveTheWholeFileCrc() {
        byte[] data = new byte[100_003];
        new Random(1).nextBytes(data);
        int header = 77;
        int piece = 9_999;
        Crc32cCombiner combiner = new Crc32cCombiner(crc(data, 0, header));
        int pieces = (data.length - header + piece - 1) / piece;
        for (int k = pieces - 1; k >= 0; k--) {
            int off = header + k * piece;
            int len = Math.min(piece, data.length - off);
            combiner.add(k, crc(data, off, len), len);
        }
        assertEquals(crc(data, 0, data.length), combiner.value());
    }

    @Test
    void combiningWithNothingKeepsTheCrc() {
        assertEquals(0x1234, Crc32cCombiner.combine(0x1234, 0, 0));
    }
}
