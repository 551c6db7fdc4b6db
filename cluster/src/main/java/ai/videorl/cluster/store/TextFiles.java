package ai.videorl.cluster.store;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;

/**
 * Opens UTF-8 text files by location: "-" is standard input/output, a plain path or
 * {@code file:} URI is a local file, and any other URI ({@code s3a://}, {@code hdfs://}, …) goes
 * through Hadoop's FileSystem with the default configuration (credentials from Hadoop/AWS
 * providers or the environment).
 */
public final class TextFiles {

    public static final String STANDARD_STREAM = "-";

    private TextFiles() {
    }

    public static BufferedReader reader(String location) throws IOException {
        if (STANDARD_STREAM.equals(location)) {
            return new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        }
        if (isLocal(location)) {
            return Files.newBufferedReader(localPath(location), StandardCharsets.UTF_8);
        }
        Path path = new Path(location);
        return new BufferedReader(new InputStreamReader(
                path.getFileSystem(new Configuration()).open(path), StandardCharsets.UTF_8));
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
        String scheme = URI.create(location.replace(" ", "%20")).getScheme();
        return scheme == null || scheme.equals("file") || scheme.length() == 1;
    }

    /** The local path of a location for which {@link #isLocal} holds. */
    public static java.nio.file.Path localPath(String location) {
        if (location.startsWith("file:")) {
            try {
                return Paths.get(URI.create(location));
            } catch (IllegalArgumentException e) {
                throw new UncheckedIOException(new IOException("not a local file URI: " + location, e));
            }
        }
        return Paths.get(location);
    }
}
