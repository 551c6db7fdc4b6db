package ai.videorl.cluster.video;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LocalVideoFilesTest {

    /** The local disk behind a "remote" scheme, so videos go through Hadoop's FileSystem API and the cache. */
    public static final class RemoteLocalFileSystem extends RawLocalFileSystem {
        @Override
        public URI getUri() {
            return URI.create("remote:///");
        }

        @Override
        public String getScheme() {
            return "remote";
        }
    }

    @TempDir
    Path directory;

    private LocalVideoFiles files(long bound) {
        Configuration hadoop = new Configuration(false);
        hadoop.set("fs.remote.impl", RemoteLocalFileSystem.class.getName());
        hadoop.setBoolean("fs.remote.impl.disable.cache", true);
        return new LocalVideoFiles(directory.resolve("cache"), bound, hadoop);
    }

    private String remote(Path file) {
        return "remote://" + file.toAbsolutePath();
    }

    @Test
    void localPathsAreUsedInPlace() throws Exception {
        Path video = Files.write(directory.resolve("a.mp4"), new byte[] {1, 2, 3});
        assertEquals(video, files(1 << 20).localFile(video.toString()));
        assertEquals(video, files(1 << 20).localFile(video.toUri().toString()));
    }

    @Test
    void remoteVideosAreCopiedOnceAndRefetchedWhenTheyChange() throws Exception {
        Path source = Files.write(directory.resolve("b.mp4"), new byte[] {1, 2, 3});
        LocalVideoFiles files = files(1 << 20);
        Path first = files.localFile(remote(source));
        assertTrue(first.startsWith(directory.resolve("cache")));
        assertTrue(first.toString().endsWith(".mp4"), "FFmpeg may use the extension");
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(first));
        assertEquals(first, files.localFile(remote(source)), "the second read is served from the cache");

        Files.write(source, new byte[] {4, 5, 6, 7});
        Path second = files.localFile(remote(source));
        assertNotEquals(first, second);
        assertArrayEquals(new byte[] {4, 5, 6, 7}, Files.readAllBytes(second));
    }

    @Test
    void theCacheStaysWithinItsBoundEvictingOnlyCopiesNotInUse() throws Exception {
        LocalVideoFiles files = files(2500);
        for (int i = 0; i < 5; i++) {
            files.localFile(remote(Files.write(directory.resolve(i + ".mp4"), new byte[1000])));
        }
        try (Stream<Path> cached = Files.list(directory.resolve("cache"))) {
            assertEquals(5, cached.count(), "copies used within the last minute may be about to be opened: kept");
        }
        try (Stream<Path> cached = Files.list(directory.resolve("cache"))) {
            for (Path copy : cached.toList()) {
                Files.setLastModifiedTime(copy, java.nio.file.attribute.FileTime.fromMillis(
                        System.currentTimeMillis() - 2 * LocalVideoFiles.IN_USE_MILLIS));
            }
        }
        files.localFile(remote(Files.write(directory.resolve("5.mp4"), new byte[1000])));
        try (Stream<Path> cached = Files.list(directory.resolve("cache"))) {
            assertEquals(2, cached.count(), "idle copies go until two 1000-byte copies fit in 2500 bytes");
        }
    }

    @Test
    void aDirectoryGivenAsAVideoIsNotMissingButNoRegularFile() {
        VideoException error = assertThrows(VideoException.class, () -> files(1 << 20).localFile(directory.toString()));
        assertEquals(VideoException.Reason.UNREADABLE, error.reason());
        assertTrue(error.getMessage().contains("a directory, not a regular file"), error.getMessage());
        VideoException device = assertThrows(VideoException.class, () -> files(1 << 20).localFile("/dev/null"));
        assertTrue(device.getMessage().contains("not a regular file"), device.getMessage());
    }

    @Test
    void missingVideosAreNamed() {
        VideoException local = assertThrows(VideoException.class, () -> files(1 << 20).localFile(directory.resolve("no.mp4").toString()));
        assertEquals(VideoException.Reason.MISSING, local.reason());
        String location = remote(directory.resolve("gone.mp4"));
        VideoException remote = assertThrows(VideoException.class, () -> files(1 << 20).localFile(location));
        assertEquals(VideoException.Reason.MISSING, remote.reason());
        assertTrue(remote.getMessage().startsWith(location + ": missing"), remote.getMessage());
    }
}
