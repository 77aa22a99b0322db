package org.nifimemmap.index;

import org.nifimemmap.io.ErrorKind;
import org.nifimemmap.io.MemmapException;

/** An attribute column stored in every record beside the identity columns, e.g. afferent_section_id. */
public record ExtraColumn(String name, FieldType type) {
    public ExtraColumn {
        if (name == null || name.isEmpty() || name.length() > IndexFormat.FIELD_NAME_BYTES
                || !name.chars().allMatch(c -> c > 32 && c < 127)) {
            throw new MemmapException(ErrorKind.INVALID_CONFIG, "Column name must be 1.." + IndexFormat.FIELD_NAME_BYTES
                    + " printable ASCII characters: '" + name + "'");
        }
    }
}
