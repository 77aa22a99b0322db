/**
 * Neuron morphology readers that reproduce MorphIO 3.4's section model, so that section indices match
 * the {@code section_id}s of BlueBrain spatial indexes.
 *
 * <p>Per format, when a child section starts with a copy of its parent's last point:
 * <ul>
 *   <li>SWC ({@link org.nifimemmap.morphology.SwcReader}): added unless the child's first sample is at
 *   that point already; it takes the parent's diameter. Sections hanging from the soma get no copy.</li>
 *   <li>ASC ({@link org.nifimemmap.morphology.AscReader}): added unless present; it takes the child's
 *   first diameter. A child that is nothing but that copy disappears.</li>
 *   <li>H5 ({@link org.nifimemmap.morphology.H5MorphologyReader}): points are used as stored.</li>
 * </ul>
 * SWC and ASC sections are numbered depth first, neurites in file order; H5 keeps file order.
 */
package org.nifimemmap.morphology;
