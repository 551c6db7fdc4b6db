package ai.videorl.cluster.store;

import ai.videorl.common.error.VideoRlException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Opens UTF-8 text files by location: "-" is standard input/output, a plain path or
 * {@code file:} URI is a local file, and any other URI ({@code s3a://}, {@code hdfs://}, …) goes
 * through Hadoop's FileSystem with the default configuration (credentials from Hadoop/AWS
 * providers or the environment).
 */
public final class TextFiles {

    public static final String STANDARD_STREAM = "-";

    /** What writes a file's text, and what it returns once written. */
    @FunctionalInterface
    public interface TextContent<T> {
        T writeTo(Writer out) throws IOException;
    }

    private TextFiles() {
    }

    /** The raw bytes of {@code location} (standard input for "-"); a missing file or a directory is an error naming it. */
    public static InputStream input(String location) throws IOException {
        if (STANDARD_STREAM.equals(location)) {
            return System.in;
        }
        if (isLocal(location)) {
            java.nio.file.Path path = localPath(location);
            if (Files.isDirectory(path)) {
                throw VideoRlException.invalidConfiguration(location + " is a directory, not a file");
            }
            if (!Files.exists(path)) {
                throw VideoRlException.invalidConfiguration(location + " does not exist");
            }
            return Files.newInputStream(path);
        }
        Path path = new Path(location);
        return path.getFileSystem(new Configuration()).open(path);
    }

    /**
     * Writes {@code location} whole or not at all: into a temporary file beside it that is renamed
     * into place once {@code content} returns, so a run that fails, or is killed, leaves an
     * existing file as it was (standard output, "-", is written as it goes).
     */
    public static <T> T writeWhole(String location, TextContent<T> content) throws IOException {
        if (STANDARD_STREAM.equals(location)) {
            Writer out = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8));
            T result = content.writeTo(out);
            out.flush();
            return result;
        }
        if (!isLocal(location)) {
            List<T> result = new ArrayList<>(1);
            AtomicFiles.write(location, new Configuration(), raw -> {
                Writer out = new OutputStreamWriter(raw, StandardCharsets.UTF_8);
                result.add(content.writeTo(out));
                out.flush();
            });
            return result.get(0);
        }
        java.nio.file.Path target = localPath(location).toAbsolutePath();
        Files.createDirectories(target.getParent());
        java.nio.file.Path partial = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".partial");
        try {
            T result;
            try (Writer out = Files.newBufferedWriter(partial, StandardCharsets.UTF_8)) {
                result = content.writeTo(out);
            }
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return result;
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    /** True when two locations name the same file (standard streams never do). */
    public static boolean sameFile(String a, String b) throws IOException {
        if (STANDARD_STREAM.equals(a) || STANDARD_STREAM.equals(b)) {
            return false;
        }
        if (isLocal(a) && isLocal(b)) {
            java.nio.file.Path first = localPath(a).toAbsolutePath().normalize();
            java.nio.file.Path second = localPath(b).toAbsolutePath().normalize();
            return first.equals(second) || (Files.exists(first) && Files.exists(second) && Files.isSameFile(first, second));
        }
        Configuration hadoop = new Configuration();
        Path first = new Path(a);
        Path second = new Path(b);
        return first.getFileSystem(hadoop).makeQualified(first).equals(second.getFileSystem(hadoop).makeQualified(second));
    }

    /** The text of {@code location}; a byte that is not UTF-8 reads as U+FFFD (lines that must not lose one: Utf8Lines). */
    public static BufferedReader reader(String location) throws IOException {
        return new BufferedReader(new InputStreamReader(input(location), StandardCharsets.UTF_8));
    }

    public static BufferedWriter writer(String location) throws IOException {
        if (STANDARD_STREAM.equals(location)) {
            return new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8));
        }
        if (isLocal(location)) {
            java.nio.file.Path path = localPath(location);
            if (path.toAbsolutePath().getParent() != null) {
                Files.createDirectories(path.toAbsolutePath().getParent());
            }
            return Files.newBufferedWriter(path, StandardCharsets.UTF_8);
        }
        Path path = new Path(location);
        FileSystem fileSystem = path.getFileSystem(new Configuration());
        return new BufferedWriter(new OutputStreamWriter(fileSystem.create(path, true), StandardCharsets.UTF_8));
    }

    /** True for a plain path or a {@code file:} URI; false for {@code s3a://}, {@code hdfs://} and other Hadoop URIs. */
    public static boolean isLocal(String location) {
        String scheme = hadoopPath(location).toUri().getScheme();
        return scheme == null || scheme.equals("file");
    }

    /** The local path of a location for which {@link #isLocal} holds; any character may appear in it. */
    public static java.nio.file.Path localPath(String location) {
        return Paths.get(hadoopPath(location).toUri().getPath());
    }

    /** Hadoop's reading of a location (it quotes spaces, '%' and the like itself); a malformed one is a user error. */
    private static Path hadoopPath(String location) {
        try {
            return new Path(location);
        } catch (IllegalArgumentException e) {
            throw VideoRlException.invalidConfiguration("not a valid path or URI: '" + location + "' (" + e.getMessage() + ")");
        }
    }
}
