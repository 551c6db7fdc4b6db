package ai.videorl.jobs;

import ai.videorl.cluster.demo.Demo;
import ai.videorl.cluster.demo.DemoOptions;
import ai.videorl.cluster.model.PolicyArchitecture;
import ai.videorl.cluster.spark.SparkSessions;
import ai.videorl.cluster.store.TextFiles;
import ai.videorl.cluster.train.RunFiles;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import static java.util.Objects.requireNonNullElse;

/** {@code demo}: the embedded default, end to end on one machine. */
@Command(name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "Synthesizes a video QA benchmark, warms a policy up with SFT, trains it with GRPO and evaluates",
            "it on held-out videos before and after. Prints both, writes RUN_DIR/summary.json, and ends with `run: RUN_DIR`."})
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--out", paramLabel = "DIR", description = "run directory (default: runs/demo-DATE-TIME)")
    private String out;

    @Option(names = "--model", defaultValue = "tiny", paramLabel = "ARCHITECTURE",
            description = "tiny (the project's own small video policy) or qwen2_5_vl (a small Qwen2.5-VL-architecture policy drawn at"
                    + " random, every weight trained) (default: ${DEFAULT-VALUE})")
    private String model;

    @Option(names = "--recipe", defaultValue = "videoauto-r1", description = "videoauto-r1, videop2r or video-r2 (default: ${DEFAULT-VALUE})")
    private String recipe;

    @Option(names = "--iterations", description = "GRPO iterations (default for the tiny policy: 200 for videoauto-r1, 100 for the others,"
            + " whose responses are twice as long; 60 for qwen2_5_vl)")
    private Integer iterations;

    @Option(names = "--seed", defaultValue = "1", description = "seeds the benchmark, the policy and the rollouts (default: ${DEFAULT-VALUE})")
    private long seed;

    @Option(names = "--train-videos", description = "synthetic training videos, 5 questions each (default: 2000)")
    private Integer trainVideos;

    @Option(names = "--held-out-videos", description = "synthetic held-out videos, 5 questions each (default: 400)")
    private Integer heldOutVideos;

    @Option(names = "--perception-steps", description = "SFT steps that train the tiny policy's frame encoder on which shapes each frame"
            + " shows, first (default: 300 for the tiny policy; qwen2_5_vl has no such stage)")
    private Integer perceptionSteps;

    @Option(names = "--caption-steps", description = "SFT steps on the training videos' captions, before the references (default: 100"
            + " for the tiny policy, 0 for qwen2_5_vl)")
    private Integer captionSteps;

    @Option(names = "--sft-steps", description = "SFT steps on the recipe's reference responses (default: 300 for the tiny policy, "
            + "400 of 16 for qwen2_5_vl)")
    private Integer sftSteps;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "a training setting for both SFT and GRPO, e.g. --set optimizer.lr=3e-4 (repeatable; docs/configuration.md)")
    private List<String> overrides = new ArrayList<>();

    @Override
    public Integer call() throws IOException {
        String given = out != null ? out
                : "runs/demo-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT));
        // Absolute, because the runs record their paths (a Qwen run its model.path): generate and export then work from anywhere.
        String directory = TextFiles.isLocal(given) ? TextFiles.localPath(given).toAbsolutePath().toString() : given;
        PolicyArchitecture architecture = PolicyArchitecture.named(model, "--model");
        Demo.Defaults defaults = Demo.defaults(architecture, recipe);
        DemoOptions options = new DemoOptions(directory, architecture, recipe, requireNonNullElse(iterations, defaults.iterations()), seed,
                requireNonNullElse(trainVideos, defaults.trainVideos()), requireNonNullElse(heldOutVideos, defaults.heldOutVideos()),
                requireNonNullElse(perceptionSteps, defaults.perceptionSteps()), requireNonNullElse(captionSteps, defaults.captionSteps()),
                requireNonNullElse(sftSteps, defaults.sftSteps()), overrides);
        SparkSession spark = SparkSessions.forJob("demo");
        Demo.Summary summary = Demo.run(spark, options, System.out::println);
        System.out.println();
        System.out.println(Demo.describe("warm start (SFT)", summary.warmStart()));
        System.out.println(Demo.describe("after GRPO      ", summary.grpo()));
        System.out.println("GRPO's gain, " + summary.gain().describeOver("held-out questions"));
        System.out.printf(Locale.ROOT, "%s, %d iterations, %.0f s; rollouts: %s, summary: %s%n", summary.recipe(), summary.iterations(),
                summary.wallSeconds(), RunFiles.child(directory, "grpo/" + RunFiles.ROLLOUTS), RunFiles.child(directory, RunFiles.SUMMARY));
        System.out.println("run: " + directory);
        return 0;
    }
}
