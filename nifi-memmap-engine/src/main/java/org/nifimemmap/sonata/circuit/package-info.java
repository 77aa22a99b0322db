/**
 * Segment indexes of SONATA circuits: node populations (from a circuit config, or a nodes file with a morphology
 * directory or container) turned into placed somas and segments and written as mapped spatial indexes, one
 * directory per population, the way {@link org.nifimemmap.sonata.edges.SynapseIndexBuilder} writes synapse indexes.
 */
package org.nifimemmap.sonata.circuit;
