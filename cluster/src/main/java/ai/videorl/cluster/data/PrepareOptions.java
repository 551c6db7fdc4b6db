package ai.videorl.cluster.data;

import ai.videorl.cluster.video.FrameSamplingConfig;
import ai.videorl.common.error.VideoRlException;

import java.util.Objects;
import java.util.OptionalDouble;

/**
 * What {@code prepare} does.
 *
 * @param manifest the manifest to read (any Hadoop URI)
 * @param output the directory to write (any Hadoop URI)
 * @param sampling the frame sampling training will use: probing decodes exactly those frames
 * @param cache where executors cache remote videos
 * @param partitions probing parallelism (partitions of samples)
 * @param grpoFraction when present, the hardest fraction (by {@code difficulty}) goes to GRPO, the rest to SFT
 * @param confine refuse videos outside the manifest's directory tree (what a shared service wants; off for a training job)
 */
public record PrepareOptions(String manifest, String output, FrameSamplingConfig sampling, VideoCacheConfig cache,
                             int partitions, OptionalDouble grpoFraction, boolean confine) {

    public PrepareOptions {
        Objects.requireNonNull(manifest, "manifest");
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(sampling, "sampling");
        Objects.requireNonNull(cache, "cache");
        if (partitions < 1) {
            throw VideoRlException.invalidConfiguration("partitions must be at least 1, got " + partitions);
        }
        if (grpoFraction.isPresent() && !(grpoFraction.getAsDouble() > 0 && grpoFraction.getAsDouble() < 1)) {
            throw VideoRlException.invalidConfiguration("grpo fraction must be in (0, 1), got " + grpoFraction.getAsDouble());
        }
    }
}
