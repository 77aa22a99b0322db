package org.nifimemmap.io;

/** Categories of failure; processors write {@link #attributeValue()} to {@code memmap.error.type}. */
public enum ErrorKind {
    /** The input file does not exist. */
    INPUT_NOT_FOUND,
    /** The input exists but cannot be read (permissions, not a regular file, truncated while read). */
    INPUT_UNREADABLE,
    /** The input was read but its content is wrong (bad size, parse error, NaN, unknown layout). */
    INVALID_INPUT,
    /** A parameter is wrong for this input (channel count, rate, header size, interval text). */
    INVALID_CONFIG,
    /** The output exists and the conflict strategy is FAIL. */
    OUTPUT_EXISTS,
    /** The output location cannot be written (missing, read-only, no space left). */
    OUTPUT_UNWRITABLE,
    /** A path lies outside the directories the operator allowed. */
    PATH_NOT_ALLOWED;

    public String attributeValue() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
