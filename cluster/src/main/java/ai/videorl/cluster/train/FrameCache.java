package ai.videorl.cluster.train;

import ai.videorl.cluster.data.VideoCacheConfig;
import ai.videorl.cluster.video.FrameSampler;
import ai.videorl.cluster.video.FrameSamplingConfig;
import ai.videorl.cluster.video.LocalVideoFiles;
import ai.videorl.cluster.video.SampledFrames;
import org.apache.hadoop.conf.Configuration;

import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Decoded frames an executor JVM keeps: every iteration samples prompts about the same videos, and
 * the gradient stage needs the frames its rollouts were generated from. Least recently used
 * entries leave once the cache holds more than {@link #MAX_BYTES}; decoding happens outside the
 * lock, so tasks decode different videos in parallel.
 */
public final class FrameCache {

    /** Frames of the default 8 x 32 x 32 sampling take 98 kB a video: thousands of videos fit. */
    static final long MAX_BYTES = 512L << 20;

    private record Key(String video, FrameSamplingConfig sampling) {
    }

    private static final Map<Key, SampledFrames> FRAMES = new LinkedHashMap<>(64, 0.75f, true);
    private static long bytes;

    private FrameCache() {
    }

    /**
     * The frames of {@code video} under {@code sampling}.
     *
     * @throws ai.videorl.cluster.video.VideoException when the video cannot be read (naming it and why)
     */
    public static SampledFrames frames(String video, FrameSamplingConfig sampling, VideoCacheConfig cache, Configuration hadoop) {
        Key key = new Key(video, sampling);
        synchronized (FRAMES) {
            SampledFrames cached = FRAMES.get(key);
            if (cached != null) {
                return cached;
            }
        }
        LocalVideoFiles files = new LocalVideoFiles(Path.of(cache.directory()), cache.maxBytes(), hadoop);
        SampledFrames frames = new FrameSampler(sampling).sample(files.localFile(video), video);
        synchronized (FRAMES) {
            if (FRAMES.putIfAbsent(key, frames) == null) {
                bytes += frames.retainedBytes();
                Iterator<SampledFrames> oldest = FRAMES.values().iterator();
                while (bytes > MAX_BYTES && oldest.hasNext()) {
                    SampledFrames evicted = oldest.next();
                    if (evicted != frames) {
                        bytes -= evicted.retainedBytes();
                        oldest.remove();
                    }
                }
            }
        }
        return frames;
    }
}
