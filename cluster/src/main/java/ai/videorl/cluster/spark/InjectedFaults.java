package ai.videorl.cluster.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Test hook for fault tolerance: when the JVM property {@code videorl.faults.dir} names a
 * directory, the first task to reach a named point fails (once per point per directory: the
 * point's marker file is created atomically), so a test can watch Spark retry it. Without the
 * property this does nothing.
 */
public final class InjectedFaults {

    static final String PROPERTY = "videorl.faults.dir";

    private InjectedFaults() {
    }

    /** Fails the first caller at {@code point} when faults are enabled. */
    public static void maybeFail(String point) {
        String directory = System.getProperty(PROPERTY);
        if (directory == null || directory.isBlank()) {
            return;
        }
        try {
            Files.createFile(Path.of(directory, point));
        } catch (java.nio.file.FileAlreadyExistsException e) {
            return;
        } catch (IOException e) {
            throw new IllegalStateException("cannot mark the injected fault " + point + " in " + directory, e);
        }
        throw new IllegalStateException("injected fault at " + point + " (" + PROPERTY + "=" + directory + ")");
    }
}
