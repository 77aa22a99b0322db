package org.nifimemmap.processors;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A tmpfs mounted for one test: size-capped, to make "no space left on device" real, or read-only, to make a
 * directory unwritable for root too (root ignores permission bits). Needs root.
 */
final class SmallFileSystem implements AutoCloseable {
    private final Path mountPoint;

    private SmallFileSystem(Path mountPoint) {
        this.mountPoint = mountPoint;
    }

    static SmallFileSystem mount(Path mountPoint, String size) throws IOException, InterruptedException {
        int rc = run("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", mountPoint.toString());
        assumeTrue(rc == 0, "cannot mount a tmpfs here (needs root): disk-full test skipped");
        return new SmallFileSystem(mountPoint);
    }

    static SmallFileSystem mountReadOnly(Path mountPoint) throws IOException, InterruptedException {
        int rc = run("mount", "-t", "tmpfs", "-o", "ro,size=64k", "tmpfs", mountPoint.toString());
        assumeTrue(rc == 0, "cannot mount a read-only tmpfs here (needs root): test skipped");
        return new SmallFileSystem(mountPoint);
    }

    /**
     * Unmounts; a mapping of a deleted file keeps the file system busy until the garbage collector releases it,
     * so collect and retry before falling back to a lazy unmount.
     */
    @Override
    public void close() throws IOException, InterruptedException {
        for (int attempt = 0; attempt < 10; attempt++) {
            if (run("umount", mountPoint.toString()) == 0) {
                return;
            }
            System.gc();
            Thread.sleep(100);
        }
        run("umount", "-l", mountPoint.toString());
    }

    private static int run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }
}
