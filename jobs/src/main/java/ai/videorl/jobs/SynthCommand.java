package ai.videorl.jobs;

import ai.videorl.cluster.synth.SynthOptions;
import ai.videorl.cluster.synth.SynthSummary;
import ai.videorl.cluster.synth.SynthWriter;
import ai.videorl.common.synth.VideoFormat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.util.concurrent.Callable;

/** {@code synth}: writes a synthetic video QA benchmark (real H.264 MP4 files, manifest, references, scenes). */
@Command(name = "synth",
        mixinStandardHelpOptions = true,
        description = {
            "Writes a synthetic video QA benchmark: coloured shapes appearing, moving and disappearing on a dark background.",
            "OUT/videos/NNNNNN.mp4 (H.264), OUT/manifest.jsonl (five questions per video), OUT/references.jsonl",
            "(reference responses for videop2r, videoauto-r1 and video-r2) and OUT/scenes.jsonl (the ground truth).",
            "The same seed and options give the same files."})
final class SynthCommand implements Callable<Integer> {

    @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "the benchmark directory: a path, or a Hadoop URI (s3a://, hdfs://) copied to at the end")
    private String out;

    @Option(names = "--videos", paramLabel = "N", description = "how many videos (default: ${DEFAULT-VALUE})")
    private int videos = 1000;

    @Option(names = "--seed", paramLabel = "S", description = "random seed (default: ${DEFAULT-VALUE})")
    private long seed = 0;

    @Option(names = "--duration", paramLabel = "SECONDS",
            description = "video length, a multiple of 0.5 s (default: ${DEFAULT-VALUE})")
    private double duration = VideoFormat.DEFAULT.durationSeconds();

    @Option(names = "--fps", description = "frames per second, even (default: ${DEFAULT-VALUE})")
    private int fps = VideoFormat.DEFAULT.fps();

    @Option(names = "--width", paramLabel = "PIXELS", description = "frame width, even (default: ${DEFAULT-VALUE})")
    private int width = VideoFormat.DEFAULT.width();

    @Option(names = "--height", paramLabel = "PIXELS", description = "frame height, even (default: ${DEFAULT-VALUE})")
    private int height = VideoFormat.DEFAULT.height();

    @Option(names = "--threads", description = "videos encoded at once (default: the number of cores, ${DEFAULT-VALUE})")
    private int threads = Runtime.getRuntime().availableProcessors();

    @Override
    public Integer call() throws IOException {
        SynthSummary summary = SynthWriter.write(new SynthOptions(out, videos, seed,
                new VideoFormat(width, height, fps, duration), threads));
        System.out.println("synth: " + summary.format());
        return 0;
    }
}
