package org.nifimemmap.index;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RecordSampleTest {
    private static final int RECORD = 12;

    /**
     * Offering a buffer of records at once keeps what offering them one by one keeps, across the sample's thinning
     * (more than {@link RecordSample#MAX_RECORDS} kept doubles the stride) and with buffers of every size.
     */
    @Test
    void offeringRecordsInBatchesKeepsWhatOfferingThemOneByOneKeeps() {
        Random random = new Random(7);
        for (long firstStride : new long[] {1, 3, 64}) {
            RecordSample single = new RecordSample(8, firstStride);
            RecordSample batched = new RecordSample(8, firstStride);
            long next = 0;
            long total = 5L * RecordSample.MAX_RECORDS * firstStride + 12345;
            ByteBuffer buffer = ByteBuffer.allocate((4096 + 8) * RECORD).order(ByteOrder.LITTLE_ENDIAN);
            while (next < total) {
                int records = (int) Math.min(total - next, random.nextInt(4096) + 1);
                int at = random.nextInt(8) * RECORD;
                for (int r = 0; r < records; r++) {
                    buffer.putLong(at + r * RECORD, next + r);
                    single.offer(buffer, at + r * RECORD);
                }
                batched.offer(buffer, at, records, RECORD);
                next += records;
            }
            assertEquals(total, batched.offered());
            assertEquals(single.offered(), batched.offered());
            assertEquals(single.count(), batched.count());
            for (int j = 0; j < single.count(); j++) {
                long input = single.records().getLong(j * 8);
                assertEquals(input, batched.records().getLong(j * 8), "kept record " + j + " (stride " + firstStride + ")");
                assertEquals(single.index(j), input, "a kept record's input number");
                assertEquals(batched.index(j), input);
            }
        }
    }
}
