package ai.videorl.cluster.store;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.File;
import java.io.IOException;
import java.util.List;
import java.util.stream.Stream;

/**
 * Copies a local directory's files to a Hadoop location ({@code s3a://}, {@code hdfs://},
 * {@code file:}), keeping relative paths and replacing files already there. File by file rather
 * than one recursive copy, whose result depends on whether the target directory exists.
 */
public final class DirectoryUpload {

    private DirectoryUpload() {
    }

    /** Copies every file under {@code local} to the same relative path under {@code target}; returns how many. */
    public static int copy(java.nio.file.Path local, String target, Configuration configuration) throws IOException {
        Path root = new Path(target);
        FileSystem fileSystem = root.getFileSystem(configuration);
        fileSystem.mkdirs(root);
        List<java.nio.file.Path> files;
        try (Stream<java.nio.file.Path> walk = java.nio.file.Files.walk(local)) {
            files = walk.filter(java.nio.file.Files::isRegularFile).sorted().toList();
        }
        for (java.nio.file.Path file : files) {
            String relative = local.relativize(file).toString().replace(File.separatorChar, '/');
            fileSystem.copyFromLocalFile(false, true, new Path(file.toUri()), new Path(root, relative));
        }
        return files.size();
    }
}
