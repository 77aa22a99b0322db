package org.nifimemmap.sonata.config;

import java.nio.file.Path;
import java.util.Map;

/**
 * One node or edge population of a circuit config, with component defaults already overlaid by the
 * population's own entries. Paths are absolute. {@code morphologiesDir} and {@code alternateMorphologies} are
 * null / empty when neither the population nor {@code components} names them.
 *
 * @param file the population's nodes_file or edges_file
 * @param type e.g. biophysical, virtual (nodes) or chemical, electrical (edges)
 * @param alternateMorphologies format (neurolucida-asc, h5v1) to directory or container
 * @param properties every string-valued entry after substitution and path resolution, components first
 */
public record PopulationConfig(String name, Path file, String type, Path morphologiesDir,
                               Map<String, Path> alternateMorphologies, Map<String, String> properties) {
}
