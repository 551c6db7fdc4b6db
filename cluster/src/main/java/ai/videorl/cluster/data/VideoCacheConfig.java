package ai.videorl.cluster.data;

import ai.videorl.common.error.VideoRlException;

import java.io.Serializable;
import java.nio.file.Path;

/**
 * Where executors keep local copies of remote videos, and how much they may keep.
 *
 * @param directory a local directory on every executor host
 * @param maxBytes bound of the cache; least recently used copies go first
 */
public record VideoCacheConfig(String directory, long maxBytes) implements Serializable {

    public static VideoCacheConfig defaults() {
        return new VideoCacheConfig(Path.of(System.getProperty("java.io.tmpdir"), "videorl-video-cache").toString(), 2L << 30);
    }

    public VideoCacheConfig {
        if (directory == null || directory.isBlank()) {
            throw VideoRlException.invalidConfiguration("video.cache_dir must be a local directory");
        }
        if (maxBytes < 1) {
            throw VideoRlException.invalidConfiguration("video.cache_max_bytes must be positive, got " + maxBytes);
        }
    }
}
