package org.nifimemmap.index;

/** One column of an element record: its name, type and byte offset inside the record. */
public record Field(String name, FieldType type, int offset) {
}
