package ai.videorl.cluster.synth;

import ai.videorl.common.error.VideoRlException;
import ai.videorl.common.synth.VideoFormat;

import java.util.Objects;

/**
 * What {@link SynthWriter} writes.
 *
 * @param out the benchmark directory: a local path or {@code file:} URI, or a Hadoop URI
 *        ({@code s3a://…}, {@code hdfs://…}) that the finished directory is copied to
 * @param videos how many videos, at least 1
 * @param seed everything written is a function of the seed (and the format)
 * @param format video size, frame rate and duration
 * @param threads videos encoded at once, at least 1
 */
public record SynthOptions(String out, int videos, long seed, VideoFormat format, int threads) {

    public SynthOptions {
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(format, "format");
        if (out.isBlank()) {
            throw VideoRlException.invalidConfiguration("the output location is empty");
        }
        if (videos < 1) {
            throw VideoRlException.invalidConfiguration("videos must be at least 1, got " + videos);
        }
        if (threads < 1) {
            throw VideoRlException.invalidConfiguration("threads must be at least 1, got " + threads);
        }
    }
}
