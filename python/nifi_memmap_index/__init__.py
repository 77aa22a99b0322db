"""Read nifi-memmap spatial indexes from Python, with numpy only.

    import nifi_memmap_index as nmi
    index = nmi.open_index("indexes/neocortex_neurons__chemical_synapse")   # a file, its directory, a multi-index
    hits = index.box_query([0, 0, 0], [50, 50, 50], fields=["id", "post_gid"])  # numpy structured array
    n = index.sphere_counts([10, 20, 30], 5.0, accuracy="best_effort")

The file is mapped with numpy.memmap and its header checked (magic, version, CRC-32, sizes); queries walk the
packed R-tree level by level, vectorised, and test only the elements of the leaves they reach, with the same
rules as the Java engine (docs/index-format.md). A multi-index (multi-index.json of a partitioned build) or a
directory of several populations answers as one, with results keyed by population, as brain-indexer does.
"""
from ._index import Index, MultiIndex, open_index, IndexFormatError

__all__ = ["Index", "MultiIndex", "open_index", "IndexFormatError"]
