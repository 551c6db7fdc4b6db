package ai.videorl.cluster.store;

import ai.videorl.common.error.VideoRlException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Local directory trees (scratch copies, staging areas). */
public final class LocalDirectories {

    private LocalDirectories() {
    }

    /** Fills a directory with files. */
    @FunctionalInterface
    public interface Contents {
        void write(Path directory) throws IOException;
    }

    /**
     * Writes {@code directory}, which must not exist: {@code contents} fill a sibling
     * {@code NAME.partial}, renamed into place when they are complete, removed when they fail. A
     * reader sees the whole directory or none.
     *
     * @param what names the directory in the error when it exists
     * @throws VideoRlException (invalid configuration) when it exists, before anything is written
     */
    public static void writeNew(Path directory, String what, Contents contents) throws IOException {
        requireAbsent(directory, what);
        Path partial = directory.resolveSibling(directory.getFileName() + ".partial");
        deleteTree(partial);
        Files.createDirectories(partial);
        try {
            contents.write(partial);
            Files.move(partial, directory, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            deleteTree(partial);
            throw e;
        }
    }

    /**
     * Refuses a directory to be written that exists already: what a command checks before any work,
     * and {@link #writeNew} again before it writes.
     *
     * @param what names the directory in the error
     * @throws VideoRlException (invalid configuration) when {@code directory} exists
     */
    public static void requireAbsent(Path directory, String what) {
        if (Files.exists(directory)) {
            throw VideoRlException.invalidConfiguration(what + " " + directory + " already exists: it goes to a new directory");
        }
    }

    /** Deletes {@code directory} and everything under it; nothing when it does not exist. */
    public static void deleteTree(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(directory)) {
            paths = walk.sorted(Comparator.reverseOrder()).toList();
        }
        for (Path path : paths) {
            Files.deleteIfExists(path);
        }
    }
}
