package ai.videorl.cluster.store;

import ai.videorl.common.error.VideoRlException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
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
