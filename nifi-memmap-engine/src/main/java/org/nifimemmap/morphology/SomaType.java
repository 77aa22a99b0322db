package org.nifimemmap.morphology;

/** How the soma points are to be read; the names and the rules that pick them are MorphIO's. */
public enum SomaType {
    /** No soma, or an ASC/H5 soma of two points. */
    UNDEFINED,
    /** SWC: one soma sample. */
    SINGLE_POINT,
    /** SWC: the NeuroMorpho three-point soma (samples 1, 2 and 3, both children of sample 1). */
    NEUROMORPHO_THREE_POINT_CYLINDERS,
    /** SWC: any other chain of soma samples (stacked cylinders). */
    CYLINDERS,
    /** ASC and H5: a contour of three or more points. */
    SIMPLE_CONTOUR
}
