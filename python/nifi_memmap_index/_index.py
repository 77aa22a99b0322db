import json
import os
import struct
import zlib

import numpy as np

from . import _geometry

MAGIC = b"NMMSIDX\x00"
VERSION = 1
SYNAPSE, SEGMENT = 1, 2
INDEX_FILE = "index.nmsidx"
MULTI_INDEX_FILE = "multi-index.json"
ACCURACIES = ("bounding_box", "best_effort")


class IndexFormatError(ValueError):
    """The file is not a readable nifi-memmap index; the message says what is wrong."""


class Index:
    """One index file, mapped read-only."""

    def __init__(self, path, verify_data=False):
        self.path = os.fspath(path)
        size = os.path.getsize(self.path)
        if size < 264:
            raise IndexFormatError(f"{self.path}: {size} bytes, shorter than any index header")
        raw = np.memmap(self.path, dtype=np.uint8, mode="r")
        head = bytes(raw[:256])
        if head[:8] != MAGIC:
            raise IndexFormatError(f"{self.path}: not a nifi-memmap index (magic {head[:8]!r})")
        (version, header_size, element_type, record_size, node_size, field_count) = struct.unpack_from("<6I", head, 8)
        if version != VERSION:
            raise IndexFormatError(f"{self.path}: format version {version}, this reader knows {VERSION}")
        (count, node_count, level_count, data_crc) = struct.unpack_from("<QQII", head, 32)
        self.bounds = struct.unpack_from("<6d", head, 56)
        (records_offset, tree_offset, file_length) = struct.unpack_from("<3Q", head, 104)
        level_counts = struct.unpack_from("<16Q", head, 128)
        if not 1 <= field_count <= 64 or header_size != _align8(256 + 32 * field_count + 4):
            raise IndexFormatError(f"{self.path}: header size {header_size} does not match {field_count} fields")
        table_end = 256 + 32 * field_count
        stored_crc = struct.unpack_from("<I", bytes(raw[table_end:table_end + 4]))[0]
        if zlib.crc32(bytes(raw[:table_end])) != stored_crc:
            raise IndexFormatError(f"{self.path}: header CRC-32 mismatch (corrupt header)")
        if file_length != size:
            raise IndexFormatError(f"{self.path}: header says {file_length} bytes, the file has {size} (truncated or extended)")
        expected_levels = _level_counts(count, node_size)
        if list(level_counts[:len(expected_levels)]) != expected_levels or level_count != len(expected_levels) \
                or node_count != sum(expected_levels):
            raise IndexFormatError(f"{self.path}: tree level counts disagree with {count} elements and fan-out {node_size}")
        if records_offset != header_size or tree_offset != _align8(records_offset + count * record_size) \
                or file_length != tree_offset + 24 * node_count:
            raise IndexFormatError(f"{self.path}: section offsets disagree with the counts")
        names, formats, offsets = [], [], []
        for i in range(field_count):
            entry = bytes(raw[256 + 32 * i:256 + 32 * (i + 1)])
            names.append(entry[:24].rstrip(b"\x00").decode("ascii"))
            formats.append(entry[24:28].rstrip(b"\x00").decode("ascii"))
            offsets.append(struct.unpack_from("<I", entry, 28)[0])
        self.element_type = element_type
        geometry = ["x", "y", "z"] if element_type == SYNAPSE else ["x1", "y1", "z1", "x2", "y2", "z2", "radius"]
        if element_type not in (SYNAPSE, SEGMENT) or names[:len(geometry)] != geometry:
            raise IndexFormatError(f"{self.path}: element type {element_type} with columns {names}")
        self.dtype = np.dtype({"names": names, "formats": formats, "offsets": offsets, "itemsize": record_size})
        self.count = count
        self.node_size = node_size
        self.records = np.ndarray((count,), dtype=self.dtype, buffer=raw, offset=records_offset) if count else \
            np.zeros(0, dtype=self.dtype)
        self.tree = np.ndarray((node_count, 6), dtype="<f4", buffer=raw, offset=tree_offset) if node_count else \
            np.zeros((0, 6), dtype="<f4")
        self.level_counts = expected_levels
        self.level_starts = list(np.cumsum([0] + expected_levels[:-1])) if expected_levels else []
        self._raw = raw
        if verify_data and zlib.crc32(bytes(raw[header_size:])) != data_crc:
            raise IndexFormatError(f"{self.path}: data CRC-32 mismatch (corrupt records or tree)")

    @property
    def columns(self):
        return list(self.dtype.names)

    # -- queries -------------------------------------------------------------------------------------------------
    def box_query(self, corner, opposite, accuracy="best_effort", fields=None):
        return self._select(self._matches(_box(corner, opposite), accuracy), fields)

    def sphere_query(self, center, radius, accuracy="best_effort", fields=None):
        return self._select(self._matches(_sphere(center, radius), accuracy), fields)

    def box_counts(self, corner, opposite, accuracy="best_effort"):
        return int(self._matches(_box(corner, opposite), accuracy).size)

    def sphere_counts(self, center, radius, accuracy="best_effort"):
        return int(self._matches(_sphere(center, radius), accuracy).size)

    def count_by_post_gid(self, corner=None, opposite=None, center=None, radius=None, accuracy="best_effort"):
        """Matching synapses per post_gid, as a dict in post_gid order (a box, or a sphere)."""
        if self.element_type != SYNAPSE:
            raise ValueError(f"{self.path}: counting by post_gid needs a synapse index")
        shape = _box(corner, opposite) if center is None else _sphere(center, radius)
        gids = self.records["post_gid"][self._matches(shape, accuracy)]
        values, counts = np.unique(gids, return_counts=True)
        return {int(v): int(c) for v, c in zip(values, counts)}

    def matching_records(self, shape, accuracy):
        """Record numbers of the elements meeting ``("box", lo, hi)`` or ``("sphere", centre, radius)``, ascending."""
        return self._matches(shape, accuracy)

    def _matches(self, shape, accuracy):
        if accuracy not in ACCURACIES:
            raise ValueError(f"accuracy must be one of {ACCURACIES}, not {accuracy!r}")
        if self.count == 0:
            return np.zeros(0, dtype=np.int64)
        qlo, qhi = _shape_bounds(shape)
        level = len(self.level_counts) - 1
        nodes = np.zeros(1, dtype=np.int64)
        while True:
            boxes = self.tree[self.level_starts[level] + nodes].astype(np.float64)
            keep = np.all(boxes[:, :3] <= qhi, axis=1) & np.all(boxes[:, 3:] >= qlo, axis=1)
            if shape[0] == "sphere":
                keep &= _geometry.point_box_distance2(shape[1], boxes[:, :3], boxes[:, 3:]) <= shape[2] * shape[2]
            nodes = nodes[keep]
            if nodes.size == 0:
                return np.zeros(0, dtype=np.int64)
            limit = self.count if level == 0 else self.level_counts[level - 1]
            children = (nodes[:, None] * self.node_size + np.arange(self.node_size)[None, :]).ravel()
            children = children[children < limit]
            if level == 0:
                records = np.sort(children)
                return records[_geometry.elements_meet(self.element_type, self.records[records], shape, accuracy)]
            nodes = children
            level -= 1

    def _select(self, records, fields):
        return _fields(self.records[records], self.element_type, fields)

    def close(self):
        self._raw._mmap.close() if getattr(self._raw, "_mmap", None) is not None else None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class MultiIndex:
    """Several index files answered as one: a multi-index manifest's partitions, or a directory of populations."""

    def __init__(self, parts):
        self.parts = parts  # list of (population, Index, (min xyz, max xyz))
        types = {index.element_type for _, index, _ in parts}
        if len(types) != 1:
            raise IndexFormatError("the indexes mix synapse and segment elements; query them apart")
        self.element_type = types.pop()

    @property
    def populations(self):
        return sorted({population for population, _, _ in self.parts})

    def _each(self, shape, accuracy):
        lo, hi = _shape_bounds(shape)
        for population, index, (blo, bhi) in self.parts:
            if index.count and np.all(np.asarray(blo) <= hi) and np.all(np.asarray(bhi) >= lo):
                yield population, index, index.matching_records(shape, accuracy)

    def _query(self, shape, accuracy, fields):
        found = {}
        for population, index, records in self._each(shape, accuracy):
            found.setdefault(population, []).append(_fields(index.records[records], index.element_type, fields))
        return {p: np.concatenate(found[p]) if p in found else _fields(self._first(p).records[:0], self.element_type, fields)
                for p in self.populations}

    def _first(self, population):
        return next(index for p, index, _ in self.parts if p == population)

    def box_query(self, corner, opposite, accuracy="best_effort", fields=None):
        """Matches per population: {population: structured array}."""
        return self._query(_box(corner, opposite), accuracy, fields)

    def sphere_query(self, center, radius, accuracy="best_effort", fields=None):
        return self._query(_sphere(center, radius), accuracy, fields)

    def box_counts(self, corner, opposite, accuracy="best_effort"):
        return sum(r.size for _, _, r in self._each(_box(corner, opposite), accuracy))

    def sphere_counts(self, center, radius, accuracy="best_effort"):
        return sum(r.size for _, _, r in self._each(_sphere(center, radius), accuracy))

    def count_by_post_gid(self, corner=None, opposite=None, center=None, radius=None, accuracy="best_effort"):
        """Per population: {population: {post_gid: count}}, summed over the population's partitions."""
        if self.element_type != SYNAPSE:
            raise ValueError("counting by post_gid needs synapse indexes")
        shape = _box(corner, opposite) if center is None else _sphere(center, radius)
        out = {p: {} for p in self.populations}
        for population, index, records in self._each(shape, accuracy):
            for gid, n in zip(*np.unique(index.records["post_gid"][records], return_counts=True)):
                out[population][int(gid)] = out[population].get(int(gid), 0) + int(n)
        return {p: dict(sorted(c.items())) for p, c in out.items()}

    def close(self):
        for _, index, _ in self.parts:
            index.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def open_index(path, verify_data=False):
    """An index file or its directory: an Index. A multi-index manifest, a directory holding one, or a directory
    of several population directories: a MultiIndex."""
    path = os.fspath(path)
    if os.path.isfile(path) and os.path.basename(path) != MULTI_INDEX_FILE:
        return Index(path, verify_data)
    if os.path.isdir(path) and os.path.isfile(os.path.join(path, INDEX_FILE)):
        return Index(os.path.join(path, INDEX_FILE), verify_data)
    parts = []
    if os.path.isfile(path):
        parts += _manifest_parts(path, verify_data)
    elif os.path.isfile(os.path.join(path, MULTI_INDEX_FILE)):
        parts += _manifest_parts(os.path.join(path, MULTI_INDEX_FILE), verify_data)
    elif os.path.isdir(path):
        for name in sorted(os.listdir(path)):
            sub = os.path.join(path, name)
            if name.startswith(".") or not os.path.isdir(sub):
                continue
            if os.path.isfile(os.path.join(sub, MULTI_INDEX_FILE)):
                parts += _manifest_parts(os.path.join(sub, MULTI_INDEX_FILE), verify_data)
            elif os.path.isfile(os.path.join(sub, INDEX_FILE)):
                index = Index(os.path.join(sub, INDEX_FILE), verify_data)
                parts.append((name, index, (index.bounds[:3], index.bounds[3:])))
    if not parts:
        raise IndexFormatError(f"{path}: no index file, multi-index manifest or population directories")
    return MultiIndex(parts)


def _manifest_parts(manifest, verify_data):
    with open(manifest) as f:
        m = json.load(f)
    if m.get("format") != "nifi-memmap multi-index":
        raise IndexFormatError(f"{manifest}: not a multi-index manifest (format {m.get('format')!r})")
    base = os.path.dirname(os.path.abspath(manifest))
    parts = []
    for p in m["partitions"]:
        index = Index(os.path.normpath(os.path.join(base, p["index_file"])), verify_data)
        parts.append((m["population"], index, (tuple(p["bounds"]["min"]), tuple(p["bounds"]["max"]))))
    return parts


ALIASES = {"id": "edge_id", "edge_id": "edge_id"}


def _fields(rows, element_type, fields):
    """The requested columns, plus brain-indexer's names: id, is_soma, centroid, endpoints."""
    if fields is None:
        return np.array(rows)
    out_dtype, values = [], []
    for name in fields:
        if name == "id" and element_type == SYNAPSE:
            out_dtype.append(("id", rows.dtype["edge_id"]))
            values.append(rows["edge_id"])
        elif name == "is_soma" and element_type == SEGMENT:
            out_dtype.append(("is_soma", np.bool_))
            values.append(rows["kind"] == 0)
        elif name == "centroid":
            if element_type == SYNAPSE:
                c = np.stack([rows["x"], rows["y"], rows["z"]], axis=-1)
            else:
                c = np.stack([(rows["x1"] + rows["x2"]) / 2, (rows["y1"] + rows["y2"]) / 2, (rows["z1"] + rows["z2"]) / 2], axis=-1)
            out_dtype.append(("centroid", "<f4", (3,)))
            values.append(c)
        elif name == "endpoints" and element_type == SEGMENT:
            e = np.stack([np.stack([rows["x1"], rows["y1"], rows["z1"]], -1), np.stack([rows["x2"], rows["y2"], rows["z2"]], -1)], 1)
            out_dtype.append(("endpoints", "<f4", (2, 3)))
            values.append(e)
        elif name in rows.dtype.names:
            out_dtype.append((name, rows.dtype[name]))
            values.append(rows[name])
        else:
            raise KeyError(f"no field {name!r}; the index has {list(rows.dtype.names)} and the aliases id, is_soma, centroid, endpoints")
    out = np.zeros(rows.shape[0], dtype=out_dtype)
    for (name, *_), v in zip(out_dtype, values):
        out[name] = v
    return out


def _box(corner, opposite):
    a = np.asarray(corner, dtype=np.float64)
    b = np.asarray(opposite, dtype=np.float64)
    return ("box", np.minimum(a, b), np.maximum(a, b))


def _sphere(center, radius):
    if not radius >= 0:
        raise ValueError(f"radius must be a non-negative number, not {radius!r}")
    return ("sphere", np.asarray(center, dtype=np.float64), float(radius))


def _shape_bounds(shape):
    if shape[0] == "box":
        return shape[1], shape[2]
    return shape[1] - shape[2], shape[1] + shape[2]


def _align8(n):
    return (n + 7) & ~7


def _level_counts(n, fanout):
    counts = []
    nodes = n
    while nodes > 0:
        nodes = -(-nodes // fanout)
        counts.append(nodes)
        if nodes == 1:
            break
    return counts
