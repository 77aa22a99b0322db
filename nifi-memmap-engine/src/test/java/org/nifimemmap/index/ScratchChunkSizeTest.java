package org.nifimemmap.index;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ScratchChunkSizeTest {
    @Test
    void chunksAre16MiBForSmallBuildsAndKeepHugeBuildsToAbout512Files() {
        assertEquals(16L << 20, ScratchFile.chunkFor(0));
        assertEquals(16L << 20, ScratchFile.chunkFor(8L << 30), "an 8 GiB cap: 512 chunks of 16 MiB");
        assertEquals(32L << 20, ScratchFile.chunkFor((8L << 30) + 512));
        long billion = 108L * 1_000_000_000L;
        long chunk = ScratchFile.chunkFor(billion);
        assertEquals(256L << 20, chunk, "a billion segment elements");
        assertEquals(403, (billion + chunk - 1) / chunk, "files for a billion segment elements");
        assertEquals(1L << 30, ScratchFile.chunkFor(Long.MAX_VALUE / 2));
    }
}
