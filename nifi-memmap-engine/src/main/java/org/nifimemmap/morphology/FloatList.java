package org.nifimemmap.morphology;

import java.util.Arrays;

/** A growable float array; points of one section are collected here before it is frozen. */
final class FloatList {
    private float[] values = new float[16];
    private int size;

    void add(float v) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = v;
    }

    void add(float x, float y, float z) {
        add(x);
        add(y);
        add(z);
    }

    void insertFront(float[] front) {
        while (size + front.length > values.length) {
            values = Arrays.copyOf(values, values.length * 2);
        }
        System.arraycopy(values, 0, values, front.length, size);
        System.arraycopy(front, 0, values, 0, front.length);
        size += front.length;
    }

    float get(int i) {
        return values[i];
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    void clear() {
        size = 0;
    }

    float[] toArray() {
        return Arrays.copyOf(values, size);
    }
}
