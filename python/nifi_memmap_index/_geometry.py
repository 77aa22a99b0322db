"""The element tests of docs/index-format.md ("What matches a query"), in float64 as the Java engine computes them."""
import numpy as np

SYNAPSE = 1


def point_box_distance2(p, lo, hi):
    """Squared distance from point p to each box [lo, hi] (rows); 0 inside."""
    d = np.where(p < lo, lo - p, np.where(p > hi, p - hi, 0.0))
    return np.sum(d * d, axis=-1)


def elements_meet(element_type, rows, shape, accuracy):
    """Boolean mask: which records meet the shape ("box", lo, hi) or ("sphere", centre, radius)."""
    if element_type == SYNAPSE:
        p = np.stack([rows["x"], rows["y"], rows["z"]], axis=-1).astype(np.float64)
        if shape[0] == "box":
            return np.all((p >= shape[1]) & (p <= shape[2]), axis=1)
        d = p - shape[1]
        return np.sum(d * d, axis=1) <= shape[2] * shape[2]
    p1 = np.stack([rows["x1"], rows["y1"], rows["z1"]], axis=-1).astype(np.float64)
    p2 = np.stack([rows["x2"], rows["y2"], rows["z2"]], axis=-1).astype(np.float64)
    r = rows["radius"].astype(np.float64)
    lo, hi = cylinder_boxes(p1, p2, r)
    if shape[0] == "box":
        meet = np.all(lo <= shape[2], axis=1) & np.all(hi >= shape[1], axis=1)
        if accuracy == "bounding_box":
            return meet
        for i in np.nonzero(meet)[0]:
            meet[i] = segment_box_distance2(p1[i], p2[i], shape[1], shape[2]) <= r[i] * r[i]
        return meet
    c, s = shape[1], shape[2]
    meet = point_box_distance2(c, lo, hi) <= s * s
    if accuracy == "bounding_box":
        return meet
    for i in np.nonzero(meet)[0]:
        meet[i] = sphere_meets_cylinder(c, s, p1[i], p2[i], r[i])
    return meet


def cylinder_boxes(p1, p2, r):
    """Exact minimal boxes of cylinders p1-p2 of radius r (a cap disc reaches r * sin(angle to the axis))."""
    d = p2 - p1
    len2 = np.sum(d * d, axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        e = np.where(len2[:, None] == 0, r[:, None], r[:, None] * np.sqrt(np.maximum(0.0, 1 - d * d / len2[:, None])))
    return np.minimum(p1, p2) - e, np.maximum(p1, p2) + e


def sphere_meets_cylinder(c, s, p1, p2, r):
    v = p2 - p1
    u = c - p1
    vv = float(v @ v)
    if vv == 0:
        return float(u @ u) <= (s + r) * (s + r)
    vu = float(v @ u)
    uu = float(u @ u)
    if 0 <= vu <= vv:
        return max(0.0, uu - vu * vu / vv) <= (s + r) * (s + r)
    length = vv ** 0.5
    along = -vu / length if vu < 0 else (vu - vv) / length
    across = max(0.0, uu - vu * vu / vv) ** 0.5
    outside = max(0.0, across - r)
    return along * along + outside * outside <= s * s


def segment_box_distance2(p, q, lo, hi):
    """Squared distance between segment p-q and box [lo, hi]: the minimum of a convex piecewise quadratic in t."""
    d = q - p
    ts = [0.0, 1.0]
    for a in range(3):
        if d[a] != 0:
            for bound in (lo[a], hi[a]):
                t = (bound - p[a]) / d[a]
                if 0 < t < 1:
                    ts.append(t)
    ts.sort()
    best = float("inf")
    for ta, tb in zip(ts, ts[1:]):
        mid = (ta + tb) / 2
        qa = qb = qc = 0.0
        for a in range(3):
            v = p[a] + mid * d[a]
            bound = lo[a] if v < lo[a] else (hi[a] if v > hi[a] else None)
            if bound is not None:
                off = p[a] - bound
                qa += d[a] * d[a]
                qb += 2 * d[a] * off
                qc += off * off
        t = min(tb, max(ta, -qb / (2 * qa))) if qa > 0 else ta
        for x in (t, ta, tb):
            best = min(best, max(0.0, (qa * x + qb) * x + qc))
    return best
