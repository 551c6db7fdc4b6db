package ai.videorl.jobs;

import ai.videorl.cluster.data.Preparation;
import ai.videorl.cluster.data.PrepareOptions;
import ai.videorl.cluster.data.VideoCacheConfig;
import ai.videorl.cluster.spark.SparkSessions;
import ai.videorl.cluster.video.FrameSamplingConfig;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;

/** {@code prepare}: validate a manifest, probe its videos on the executors, quarantine bad rows, split by difficulty. */
@Command(name = "prepare",
        mixinStandardHelpOptions = true,
        description = {
            "Validates a JSONL manifest, probes every video on the executors (decoding the frames training will use),",
            "and writes OUT/samples.parquet, OUT/quarantine.jsonl (bad rows with reasons) and OUT/summary.json;",
            "with --grpo-fraction also OUT/grpo.parquet (the hardest samples by difficulty) and OUT/sft.parquet."})
final class PrepareCommand implements Callable<Integer> {

    @Option(names = "--manifest", required = true, paramLabel = "MANIFEST", description = "JSONL manifest (a path or any Hadoop URI)")
    private String manifest;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "output directory (a path or any Hadoop URI)")
    private String output;

    @Option(names = "--grpo-fraction", paramLabel = "F",
            description = "send the hardest fraction F of the samples (by 'difficulty') to GRPO and the rest to SFT; Video-R2 uses 0.3")
    private Double grpoFraction;

    @Option(names = "--partitions", defaultValue = "0",
            description = "probing partitions (default: twice Spark's default parallelism)")
    private int partitions;

    @Option(names = "--fps", defaultValue = "2.0", description = "frames sampled per second of video (default: ${DEFAULT-VALUE})")
    private double fps;

    @Option(names = "--min-frames", defaultValue = "4", description = "at least this many frames (default: ${DEFAULT-VALUE})")
    private int minFrames;

    @Option(names = "--max-frames", defaultValue = "32", description = "at most this many frames (default: ${DEFAULT-VALUE})")
    private int maxFrames;

    @Option(names = "--confine", description = "quarantine videos outside the manifest's directory tree (for a shared "
            + "service: a manifest may then only name its own videos)")
    private boolean confine;

    @Option(names = "--cache-dir", description = "local directory for copies of remote videos (default: a videorl folder in java.io.tmpdir)")
    private String cacheDirectory;

    @Override
    public Integer call() throws IOException {
        SparkSession spark = SparkSessions.forJob("prepare");
        FrameSamplingConfig defaults = FrameSamplingConfig.DEFAULTS;
        FrameSamplingConfig sampling = new FrameSamplingConfig(fps, minFrames, maxFrames, defaults.width(), defaults.height(),
                defaults.burnClock());
        VideoCacheConfig cache = cacheDirectory == null ? VideoCacheConfig.defaults()
                : new VideoCacheConfig(cacheDirectory, VideoCacheConfig.defaults().maxBytes());
        int parallelism = partitions > 0 ? partitions : 2 * spark.sparkContext().defaultParallelism();
        PrepareOptions options = new PrepareOptions(manifest, output, sampling, cache, parallelism,
                grpoFraction == null ? OptionalDouble.empty() : OptionalDouble.of(grpoFraction), confine);
        Preparation.Summary summary = Preparation.run(spark, options);
        System.out.printf("prepare %s -> %s: %d lines, %d samples, %d quarantined (%s)%n", manifest, output,
                summary.lines(), summary.samples(), summary.quarantined(), output + "/" + Preparation.QUARANTINE);
        if (grpoFraction != null) {
            System.out.printf("  split: %d GRPO (hardest %.0f%%), %d SFT%n", summary.grpo(), 100 * grpoFraction, summary.sft());
        }
        return 0;
    }
}
