package org.nifimemmap.index;

/** A shape and how exactly elements must meet it. */
public record Query(QueryShape shape, Accuracy accuracy) {
    public Query {
        if (shape == null || accuracy == null) {
            throw new IllegalArgumentException("Query needs a shape and an accuracy");
        }
    }

    public static Query box(double x1, double y1, double z1, double x2, double y2, double z2, Accuracy accuracy) {
        return new Query(QueryShape.Box.corners(x1, y1, z1, x2, y2, z2), accuracy);
    }

    public static Query sphere(double x, double y, double z, double radius, Accuracy accuracy) {
        return new Query(new QueryShape.Sphere(x, y, z, radius), accuracy);
    }
}
