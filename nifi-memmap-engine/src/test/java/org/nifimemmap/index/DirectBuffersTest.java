package org.nifimemmap.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class DirectBuffersTest {
    @Test
    void givenBackBuffersAreReusedWhenTheyFitAndTheRetainedBytesAreCapped() {
        DirectBuffers pool = new DirectBuffers(16L << 20);
        java.nio.ByteBuffer a = pool.take(3 << 20);
        assertTrue(a.isDirect() && a.capacity() >= 3 << 20 && a.order() == ByteOrder.LITTLE_ENDIAN);
        a.putInt(0, 42).position(100).limit(200).order(ByteOrder.BIG_ENDIAN);
        pool.give(a);
        pool.give(a);
        java.nio.ByteBuffer b = pool.take(2 << 20);
        assertSame(a, b, "a buffer at most twice the request is reused, once");
        assertEquals(0, b.position());
        assertEquals(b.capacity(), b.limit());
        assertEquals(ByteOrder.LITTLE_ENDIAN, b.order());
        assertNotSame(b, pool.take(2 << 20), "a buffer in use is not handed out again");
        pool.give(b);
        assertNotSame(b, pool.take(1 << 20), "a buffer more than twice the request is not taken for it");

        long before = pool.retained();
        java.nio.ByteBuffer[] many = new java.nio.ByteBuffer[(int) (4) + 4];
        for (int i = 0; i < many.length; i++) {
            many[i] = pool.take(4 << 20);
        }
        pool.give(many);
        assertTrue(pool.retained() <= 16L << 20, "retained " + pool.retained());
        assertTrue(pool.retained() >= before);
    }
}
