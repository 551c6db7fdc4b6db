package ai.videorl.cluster.video;

import ai.videorl.cluster.store.TextFiles;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Gives FFmpeg a local file for any video location. Local paths and {@code file:} URIs are used
 * in place; any other Hadoop URI ({@code s3a://}, {@code hdfs://}, …) is streamed into a bounded
 * local cache (never through the heap), keyed by location, length and modification time so a
 * changed object is fetched again. The least recently used copies are deleted past the bound.
 */
public final class LocalVideoFiles {

    /** A copy used this recently may be about to be opened by another task: it is not evicted. */
    static final long IN_USE_MILLIS = 60_000;

    private final java.nio.file.Path cacheDirectory;
    private final long maxCacheBytes;
    private final Configuration hadoop;

    public LocalVideoFiles(java.nio.file.Path cacheDirectory, long maxCacheBytes, Configuration hadoop) {
        this.cacheDirectory = Objects.requireNonNull(cacheDirectory, "cacheDirectory");
        if (maxCacheBytes < 1) {
            throw new IllegalArgumentException("the cache bound must be positive, got " + maxCacheBytes);
        }
        this.maxCacheBytes = maxCacheBytes;
        this.hadoop = Objects.requireNonNull(hadoop, "hadoop");
    }

    /**
     * A local file holding the video at {@code location}.
     *
     * @throws VideoException MISSING when nothing is there, UNREADABLE when reading fails or the
     *         location is a directory or a device, not a regular file
     */
    public java.nio.file.Path localFile(String location) {
        if (TextFiles.isLocal(location)) {
            java.nio.file.Path path = TextFiles.localPath(location);
            if (!Files.exists(path)) {
                throw new VideoException(location, VideoException.Reason.MISSING, "no such file");
            }
            if (!Files.isRegularFile(path)) {
                throw new VideoException(location, VideoException.Reason.UNREADABLE,
                        Files.isDirectory(path) ? "a directory, not a regular file" : "not a regular file");
            }
            return path;
        }
        try {
            return cached(location);
        } catch (FileNotFoundException e) {
            throw new VideoException(location, VideoException.Reason.MISSING, "no such object", e);
        } catch (IOException e) {
            throw new VideoException(location, VideoException.Reason.UNREADABLE, e.toString(), e);
        }
    }

    private java.nio.file.Path cached(String location) throws IOException {
        Path remote = new Path(location);
        FileSystem fileSystem = remote.getFileSystem(hadoop);
        FileStatus status = fileSystem.getFileStatus(remote);
        String name = digest(location + "|" + status.getLen() + "|" + status.getModificationTime()) + extension(location);
        java.nio.file.Path local = cacheDirectory.resolve(name);
        if (Files.isRegularFile(local) && Files.size(local) == status.getLen()) {
            try {
                Files.setLastModifiedTime(local, FileTime.fromMillis(System.currentTimeMillis()));
                return local;
            } catch (java.nio.file.NoSuchFileException evicted) {
                // Evicted between the check and the touch: fetch it again below.
            }
        }
        Files.createDirectories(cacheDirectory);
        java.nio.file.Path partial = Files.createTempFile(cacheDirectory, name, ".partial");
        try (InputStream in = fileSystem.open(remote)) {
            Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
            Files.move(partial, local, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(partial);
        }
        evictBeyondBound(local);
        return local;
    }

    /**
     * Deletes the least recently used copies until the cache fits its bound, never {@code keep}
     * nor a copy used in the last {@link #IN_USE_MILLIS}: another task of this executor may be about
     * to open it (the bound is then exceeded for a while, never a video lost).
     */
    private void evictBeyondBound(java.nio.file.Path keep) throws IOException {
        List<java.nio.file.Path> files;
        try (Stream<java.nio.file.Path> listing = Files.list(cacheDirectory)) {
            files = listing.filter(path -> !path.toString().endsWith(".partial")).sorted(Comparator.comparing(
                    LocalVideoFiles::lastModified).reversed()).toList();
        }
        long total = 0;
        long recent = System.currentTimeMillis() - IN_USE_MILLIS;
        for (java.nio.file.Path file : files) {
            total += sizeOrZero(file);
            if (total > maxCacheBytes && !file.equals(keep) && lastModified(file).toMillis() < recent) {
                Files.deleteIfExists(file);
            }
        }
    }

    private static FileTime lastModified(java.nio.file.Path path) {
        try {
            return Files.getLastModifiedTime(path);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }

    private static long sizeOrZero(java.nio.file.Path path) {
        try {
            return Files.size(path);
        } catch (IOException e) {
            return 0;
        }
    }

    private static String extension(String location) {
        String name = new Path(location).getName();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot);
    }

    private static String digest(String text) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
