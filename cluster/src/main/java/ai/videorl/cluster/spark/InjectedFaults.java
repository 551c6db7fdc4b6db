package ai.videorl.cluster.spark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Test hook for fault tolerance. When the JVM property {@code videorl.faults.dir} names a
 * directory, a test arms a fault at a named point by creating {@code <point>.fail} or
 * {@code <point>.stall} there; the first task to reach an armed point claims it (the
 * {@code .fired} file is created atomically, holding the task's JVM PID), so each fault fires once
 * per directory:
 * <ul>
 *   <li>fail: the task throws, and a test watches Spark retry it;</li>
 *   <li>stall: the task sleeps, so a test can kill its JVM (an executor, or a local driver) by PID
 *       in the middle of the stage.</li>
 * </ul>
 * Without the property, or with nothing armed, this does nothing.
 */
public final class InjectedFaults {

    static final String PROPERTY = "videorl.faults.dir";
    private static final Duration STALL = Duration.ofMinutes(10);

    private InjectedFaults() {
    }

    /** Fails the first caller at {@code point} when it is armed. */
    public static void maybeFail(String point) {
        if (claim(point, "fail")) {
            throw new IllegalStateException("injected fault at " + point + " (" + PROPERTY + "=" + System.getProperty(PROPERTY) + ")");
        }
    }

    /** Stalls the first caller at {@code point} when it is armed, until its JVM is killed (or ten minutes pass). */
    public static void maybeStall(String point) {
        if (claim(point, "stall")) {
            try {
                Thread.sleep(STALL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static boolean claim(String point, String kind) {
        String directory = System.getProperty(PROPERTY);
        if (directory == null || directory.isBlank() || !Files.exists(Path.of(directory, point + "." + kind))) {
            return false;
        }
        try {
            // Written aside, then linked to the claimed name: the link fails if another task claimed it first.
            Path content = Files.createTempFile(Path.of(directory), point, ".pid");
            Files.writeString(content, Long.toString(ProcessHandle.current().pid()), StandardCharsets.UTF_8);
            try {
                Files.createLink(Path.of(directory, point + "." + kind + ".fired"), content);
                return true;
            } catch (FileAlreadyExistsException e) {
                return false;
            } finally {
                Files.delete(content);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot claim the injected fault " + point + " in " + directory, e);
        }
    }
}
