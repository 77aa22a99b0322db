package org.nifimemmap.index;

/** Receives synapses one at a time; coordinates in the circuit's units (micrometres). */
public interface SynapseSink {
    /** Adds a synapse without extra attributes (the index was created without extra columns). */
    void add(float x, float y, float z, long edgeId, long preGid, long postGid);

    /** Adds a synapse with one value per extra column, in column order; integers must be exact in a double. */
    void add(float x, float y, float z, long edgeId, long preGid, long postGid, double[] extras);
}
