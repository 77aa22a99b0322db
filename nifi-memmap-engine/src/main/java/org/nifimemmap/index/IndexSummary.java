package org.nifimemmap.index;

import java.nio.file.Path;

/** What a build wrote: the file, its element type and count, the elements' bounds and the file size. */
public record IndexSummary(Path file, ElementType elementType, long elements, Bounds bounds, long fileBytes) {
}
