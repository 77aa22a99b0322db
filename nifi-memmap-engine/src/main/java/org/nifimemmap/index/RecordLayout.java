package org.nifimemmap.index;

import java.util.ArrayList;
import java.util.List;

/** The columns of one element record, packed without padding, little-endian. */
public final class RecordLayout {
    public static final String KIND = "kind";
    public static final byte KIND_SOMA = 0;
    public static final byte KIND_SEGMENT = 1;

    private final ElementType elementType;
    private final List<Field> fields;
    private final int recordSize;

    RecordLayout(ElementType elementType, List<Field> fields) {
        this.elementType = elementType;
        this.fields = List.copyOf(fields);
        int end = 0;
        for (Field f : fields) {
            end = Math.max(end, f.offset() + f.type().size());
        }
        this.recordSize = end;
    }

    /** Builds a layout from (name, type) pairs placed one after another. */
    static RecordLayout packed(ElementType elementType, List<String> names, List<FieldType> types) {
        List<Field> fields = new ArrayList<>();
        int offset = 0;
        for (int i = 0; i < names.size(); i++) {
            fields.add(new Field(names.get(i), types.get(i), offset));
            offset += types.get(i).size();
        }
        return new RecordLayout(elementType, fields);
    }

    public ElementType elementType() {
        return elementType;
    }

    public List<Field> fields() {
        return fields;
    }

    public int recordSize() {
        return recordSize;
    }

    /** The field of that name, or null. */
    public Field field(String name) {
        for (Field f : fields) {
            if (f.name().equals(name)) {
                return f;
            }
        }
        return null;
    }

    /** Names of the geometry columns every record of this element type starts with, in order. */
    static List<String> geometryNames(ElementType type) {
        return type == ElementType.SYNAPSE
                ? List.of("x", "y", "z")
                : List.of("x1", "y1", "z1", "x2", "y2", "z2", "radius");
    }

    /** Names of the identity columns that follow the geometry, and which integer types each may take. */
    static List<String> idNames(ElementType type) {
        return type == ElementType.SYNAPSE
                ? List.of("edge_id", "pre_gid", "post_gid")
                : List.of("gid", "section_id", "segment_id", "section_type", KIND);
    }

    static List<FieldType> allowedIdTypes(String name) {
        return switch (name) {
            case "edge_id", "pre_gid", "post_gid", "gid" -> List.of(FieldType.U32, FieldType.U64);
            case "section_id", "segment_id" -> List.of(FieldType.U16, FieldType.U32);
            default -> List.of(FieldType.U8);
        };
    }
}
