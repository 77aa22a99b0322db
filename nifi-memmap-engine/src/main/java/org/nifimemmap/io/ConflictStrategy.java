package org.nifimemmap.io;

/** What to do when an output already exists; the same three choices as NiFi's PutFile. */
public enum ConflictStrategy {
    FAIL, REPLACE, IGNORE;

    public static ConflictStrategy parse(String value) {
        return valueOf(value.trim().toUpperCase(java.util.Locale.ROOT));
    }
}
