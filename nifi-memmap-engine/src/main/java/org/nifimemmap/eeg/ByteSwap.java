package org.nifimemmap.eeg;

/** Reverses the bytes of each element in place, turning big-endian samples into little-endian ones. */
final class ByteSwap {
    private ByteSwap() {
    }

    static void swap(byte[] b, int length, int elementSize) {
        switch (elementSize) {
            case 1 -> { }
            case 2 -> {
                for (int i = 0; i + 1 < length; i += 2) {
                    byte t = b[i];
                    b[i] = b[i + 1];
                    b[i + 1] = t;
                }
            }
            default -> {
                for (int i = 0; i + elementSize <= length; i += elementSize) {
                    for (int lo = i, hi = i + elementSize - 1; lo < hi; lo++, hi--) {
                        byte t = b[lo];
                        b[lo] = b[hi];
                        b[hi] = t;
                    }
                }
            }
        }
    }
}
