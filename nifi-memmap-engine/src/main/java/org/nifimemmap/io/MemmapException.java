package org.nifimemmap.io;

/** A failure that names what was wrong and where; engines throw it, processors route it to failure. */
public class MemmapException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final ErrorKind kind;

    public MemmapException(ErrorKind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public MemmapException(ErrorKind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public ErrorKind kind() {
        return kind;
    }
}
