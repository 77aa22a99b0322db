package org.nifimemmap.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;
import org.nifimemmap.io.MemmapException;

/**
 * What every parser promises on any input: within {@link #TIMEOUT_SECONDS} it returns a result, or throws
 * {@link MemmapException} with a kind and a message naming the input. Anything else escaping the parser
 * (another exception, an {@link Error} such as stack overflow or out of memory) or a parse still running
 * after the timeout is a finding.
 *
 * <p>The parse runs on a worker thread so that the timeout holds for a busy loop too, in regression runs
 * and fuzzing runs alike; a hung worker is abandoned (it is a daemon thread) and replaced.
 */
final class ParserContract {
    static final long TIMEOUT_SECONDS = 10;
    private static final Path WORK_DIR = workDir();
    private static ExecutorService worker = newWorker();

    private ParserContract() {
    }

    /** Runs {@code read}, a parse of input named {@code source}, and checks the contract. */
    static void readsOrRefuses(String source, Supplier<?> read) {
        Object result;
        try {
            result = withinTimeout(source, read);
        } catch (MemmapException e) {
            if (e.kind() == null || e.getMessage() == null || !e.getMessage().contains(source)) {
                throw new AssertionError("error does not name the input " + source + ": " + e.getMessage(), e);
            }
            return;
        }
        if (result == null) {
            throw new AssertionError(source + ": parser returned null instead of a result or an error");
        }
    }

    /**
     * Writes {@code data} to a fresh file named {@code fileName} (for parsers that read files, such as
     * HDF5 ones) and checks the contract of {@code reader} on it; the file is deleted afterwards.
     */
    static void readsOrRefuses(byte[] data, String fileName, Function<Path, ?> reader) {
        try {
            Path dir = Files.createTempDirectory(WORK_DIR, "input");
            Path file = dir.resolve(fileName);
            Files.write(file, data);
            try {
                readsOrRefuses(file.toString(), () -> reader.apply(file));
            } finally {
                Files.deleteIfExists(file);
                Files.deleteIfExists(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes {@code files} (name to content) into a fresh directory (for readers of directories, such as
     * Zarr stores) and checks the contract of {@code reader} on that directory; it is deleted afterwards.
     */
    static void readsOrRefuses(Map<String, byte[]> files, Function<Path, ?> reader) {
        try {
            Path dir = Files.createTempDirectory(WORK_DIR, "input");
            try {
                for (Map.Entry<String, byte[]> f : files.entrySet()) {
                    Files.write(dir.resolve(f.getKey()), f.getValue());
                }
                readsOrRefuses(dir.toString(), () -> reader.apply(dir));
            } finally {
                for (String name : files.keySet()) {
                    Files.deleteIfExists(dir.resolve(name));
                }
                Files.deleteIfExists(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static synchronized Object withinTimeout(String source, Supplier<?> read) {
        Future<?> parse = worker.submit(read::get);
        try {
            return parse.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            parse.cancel(true);
            worker.shutdownNow();
            worker = newWorker();
            throw new AssertionError(source + ": parser still running after " + TIMEOUT_SECONDS + " s (hang)");
        } catch (ExecutionException e) {
            // Rethrown as thrown, with the worker's stack, so that findings are told apart by their origin.
            switch (e.getCause()) {
                case RuntimeException r -> throw r;
                case Error r -> throw r;
                default -> throw new AssertionError(source + ": checked exception from parser", e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(source + ": interrupted while waiting for the parser", e);
        }
    }

    private static ExecutorService newWorker() {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fuzz-parser");
            t.setDaemon(true);
            return t;
        });
    }

    private static Path workDir() {
        try {
            Path dir = Files.createTempDirectory("memmap-fuzz");
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
