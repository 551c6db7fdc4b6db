package ai.videorl.cluster.model.hf;

import ai.videorl.cluster.store.LocalDirectories;
import ai.videorl.cluster.store.TextFiles;
import ai.videorl.common.error.VideoRlException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.UUID;

/**
 * A Hugging Face checkpoint directory on this machine's disk, wherever it lives: a local path is
 * used in place; any other Hadoop URI ({@code s3a://}, {@code hdfs://}, …) is copied once into a
 * cache directory, keyed by the location and every file's name, length and modification time, so
 * executors on one host share one copy and a changed checkpoint is fetched again. A copy is
 * written beside its final name and renamed into place when complete: a crash leaves no
 * half-copied checkpoint that a later run would load.
 */
public final class CheckpointDirectories {

    private CheckpointDirectories() {
    }

    /** Where executors keep local copies of remote checkpoints. */
    public static java.nio.file.Path executorCache() {
        return java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "videorl-model-cache");
    }

    /**
     * The local directory holding the checkpoint at {@code location}.
     *
     * @param cache where copies of remote checkpoints go (created when needed)
     */
    public static java.nio.file.Path local(String location, java.nio.file.Path cache, Configuration hadoop) {
        if (TextFiles.isLocal(location)) {
            java.nio.file.Path directory = TextFiles.localPath(location);
            if (!Files.isDirectory(directory)) {
                throw VideoRlException.invalidConfiguration("model " + location + " is not a directory (a Hugging Face "
                        + "checkpoint: config.json, *.safetensors, tokenizer files)");
            }
            return directory;
        }
        try {
            Path remote = new Path(location);
            FileSystem fileSystem = remote.getFileSystem(hadoop);
            if (!fileSystem.exists(remote) || !fileSystem.getFileStatus(remote).isDirectory()) {
                throw VideoRlException.invalidConfiguration("model " + location + " is not a directory");
            }
            FileStatus[] files = Arrays.stream(fileSystem.listStatus(remote)).filter(FileStatus::isFile)
                    .sorted(Comparator.comparing(status -> status.getPath().getName())).toArray(FileStatus[]::new);
            java.nio.file.Path target = cache.resolve(key(location, files));
            synchronized (CheckpointDirectories.class) {
                if (!Files.isDirectory(target)) {
                    copy(fileSystem, files, target);
                }
            }
            return target;
        } catch (IOException e) {
            throw VideoRlException.invalidConfiguration("model " + location + " could not be copied to " + cache + ": " + e);
        }
    }

    private static void copy(FileSystem fileSystem, FileStatus[] files, java.nio.file.Path target) throws IOException {
        Files.createDirectories(target.getParent());
        java.nio.file.Path partial = target.resolveSibling(target.getFileName() + ".partial-" + UUID.randomUUID());
        Files.createDirectory(partial);
        try {
            for (FileStatus file : files) {
                try (InputStream in = fileSystem.open(file.getPath())) {
                    Files.copy(in, partial.resolve(file.getPath().getName()));
                }
            }
            try {
                Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException | java.nio.file.DirectoryNotEmptyException e) {
                // Another executor on this host finished the same copy first: use its.
                if (!Files.isDirectory(target)) {
                    throw e;
                }
            }
        } finally {
            LocalDirectories.deleteTree(partial);
        }
    }

    private static String key(String location, FileStatus[] files) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(location.getBytes(StandardCharsets.UTF_8));
            for (FileStatus file : files) {
                digest.update(("\n" + file.getPath().getName() + "\t" + file.getLen() + "\t" + file.getModificationTime())
                        .getBytes(StandardCharsets.UTF_8));
            }
            String name = new Path(location).getName().replaceAll("[^A-Za-z0-9._-]", "_");
            return name + "-" + HexFormat.of().formatHex(digest.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
