/**
 * SONATA node placements (position, orientation, morphology name), the morphology files they name, and
 * the soma and segment elements a placed cell contributes to a segment index.
 */
package org.nifimemmap.sonata.nodes;
