package ai.videorl.cluster.demo;

import ai.videorl.cluster.config.TrainingConfig;
import ai.videorl.cluster.config.TrainingConfigLoader;
import ai.videorl.cluster.data.Preparation;
import ai.videorl.cluster.data.PrepareOptions;
import ai.videorl.cluster.data.VideoCacheConfig;
import ai.videorl.cluster.model.PolicyArchitecture;
import ai.videorl.cluster.model.PolicyWeights;
import ai.videorl.cluster.report.RunReport;
import ai.videorl.cluster.store.SerializableConfiguration;
import ai.videorl.cluster.synth.SynthOptions;
import ai.videorl.cluster.synth.SynthWriter;
import ai.videorl.cluster.train.Evaluator;
import ai.videorl.cluster.train.GrpoTrainer;
import ai.videorl.cluster.train.PairedGain;
import ai.videorl.cluster.train.RunFiles;
import ai.videorl.cluster.train.RunVocabulary;
import ai.videorl.cluster.train.SftTrainer;
import ai.videorl.cluster.train.StageContext;
import ai.videorl.cluster.train.TrainingData;
import ai.videorl.cluster.video.FrameSamplingConfig;
import ai.videorl.common.error.VideoRlException;
import ai.videorl.common.recipe.VideoAutoR1;
import ai.videorl.common.recipe.VideoP2R;
import ai.videorl.common.recipe.VideoR2;
import ai.videorl.common.synth.VideoFormat;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The embedded default, end to end on one machine: a synthetic benchmark (training and held-out
 * videos), {@code prepare}, the SFT warm start, an evaluation of it on the held-out videos, GRPO
 * from it, and the same evaluation again. Everything lands under one directory:
 * {@code data/}, {@code sft/}, {@code grpo/} (the GRPO run: rollouts, metrics, checkpoints),
 * {@code eval/}, {@code summary.json} and {@code report.html}. The policy is the tiny one, or a
 * Qwen2.5-VL-architecture one drawn at random ({@link DemoBase}, in {@code base/}) and fully
 * fine-tuned.
 */
public final class Demo {

    /** Where a Qwen demo writes its untrained checkpoint, under the demo directory. */
    static final String BASE = "base";

    static final double GRPO_LEARNING_RATE = 2e-4;

    /**
     * The KL term's weight (k3, to the warm start). Without it GRPO lowered the held-out accuracy
     * (0.388 → 0.362): sampled at T = 1 the warm start counts worse than a constant answer, so the
     * cheapest reward is to stop reading the clip. With it the accuracy held (0.385 → 0.389) and
     * the demo took 637 s (docs/experiments/demo-log.md). VideoAuto-R1 itself uses 0.01, at lr 1e-6.
     */
    static final double GRPO_KL_COEF = 0.1;

    /**
     * Overlapping 4x4 patches, one every 2 pixels. With the perception stage, they are what lets
     * the warm start see a shape's kind: its held-out accuracy rose from 0.376-0.395 (every warm
     * start with disjoint patches) to 0.463, and GRPO then lifted it to 0.497 (docs/experiments/demo-log.md).
     */
    static final int PATCH_STRIDE = 2;

    /**
     * Videos a perception step and a caption step take: half of {@code sft.batch_size}, for the
     * same number of steps. Those steps encode every video of their batch (a reference step
     * shares 13 videos' frames over 64 examples), so at 64 a caption step cost 1.5 reference
     * steps; at 32 the two stages took 183 s of the demo, and the warm start was 0.423
     * (docs/experiments/demo-log.md).
     */
    static final int VIDEOS_PER_FRAME_STEP = 32;

    /**
     * Response limits: the longest synthetic reference of each template and some room. Over the
     * 10,000 references of the demo's 2,000 training videos, tokenized with a vocabulary built from
     * them and their questions: VideoAuto-R1 43 tokens, Video-R2 89, VideoP2R 79. A batch
     * decodes until its longest response ends, so a limit far above what the policy should write
     * wastes whole steps.
     */
    private static final Map<String, Integer> RESPONSE_TOKENS = Map.of(VideoAutoR1.NAME, 56, VideoR2.NAME, 100, VideoP2R.NAME, 92);

    /**
     * GRPO iterations when {@code --iterations} is not given. VideoAuto-R1's responses are half as
     * long as the others' (its thinking is the conclusion alone), so its iterations cost half as
     * much and twice as many fit the demo's 15 minutes (588-608 s with 200); from one warm start
     * 100 iterations gained 0.028 in held-out accuracy and 200 gained 0.039 (docs/experiments/demo-log.md).
     */
    private static final Map<String, Integer> ITERATIONS = Map.of(VideoAutoR1.NAME, 200, VideoR2.NAME, 100, VideoP2R.NAME, 100);

    /**
     * The Qwen policy's frames: at most 112² pixels, so Qwen's resize makes the synthetic 128x96
     * videos 112x84, 4x3 merged patches of 28 px (at the tiny policy's 32² a frame would be one).
     */
    static final int QWEN_FRAME_SIZE = 112;

    /**
     * The Qwen policy's response limits: the longest reference of each template and some room, in
     * the demo tokenizer's tokens (scripts/demo-qwen: VideoAutoR1 40, Video-R2 92, VideoP2R 84).
     */
    private static final Map<String, Integer> QWEN_RESPONSE_TOKENS = Map.of(VideoAutoR1.NAME, 56, VideoR2.NAME, 112, VideoP2R.NAME, 100);

    /**
     * The Qwen policy's SFT: 400 steps of 16 references (about 22 a second on 2 cores, so 5
     * minutes) took the VideoAuto-R1 loss from 6.2 to 0.24 and the held-out accuracy from 0 to
     * 0.332 (docs/experiments/qwen-demo.md).
     */
    private static final int QWEN_SFT_STEPS = 400;
    private static final int QWEN_SFT_BATCH = 16;

    /** GRPO iterations of the Qwen policy: about 10 s each on 2 cores at 16 prompts of G = 8. */
    private static final int QWEN_ITERATIONS = 60;

    private Demo() {
    }

    /** What the demo measured: the held-out evaluations before and after GRPO, and GRPO's gain paired question by question. */
    public record Summary(String recipe, Evaluator.Result warmStart, Evaluator.Result grpo, PairedGain gain, int iterations,
                          double wallSeconds) {
    }

    /** How much the demo does when not told otherwise (the fields are {@link DemoOptions}'). */
    public record Defaults(int iterations, int trainVideos, int heldOutVideos, int perceptionSteps, int captionSteps, int sftSteps) {
    }

    /** How much the demo does for {@code model} and {@code recipe} unless told otherwise. */
    public static Defaults defaults(PolicyArchitecture model, String recipe) {
        if (model == PolicyArchitecture.TINY) {
            return new Defaults(ITERATIONS.getOrDefault(recipe, 100), 2000, 400, 300, 100, 300);
        }
        return new Defaults(QWEN_ITERATIONS, 2000, 400, 0, 0, QWEN_SFT_STEPS);
    }

    public static Summary run(SparkSession spark, DemoOptions options, Consumer<String> progress) throws IOException {
        long start = System.nanoTime();
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        if (RunFiles.exists(options.out(), hadoop)) {
            // Checked first: finding the SFT run's directory taken minutes later would waste the synth and prepare.
            throw VideoRlException.invalidConfiguration("--out " + options.out() + " already exists; choose a new directory");
        }
        if (options.model() != PolicyArchitecture.TINY) {
            DemoBase.write(RunFiles.child(options.out(), BASE), options.seed(), hadoop);
        }
        String data = RunFiles.child(options.out(), "data");
        String train = RunFiles.child(data, "train");
        String heldOut = RunFiles.child(data, "held-out");
        String prepared = RunFiles.child(data, "prepared");
        progress.accept(String.format(Locale.ROOT, "demo: %s policy, %s, %d training and %d held-out synthetic videos, %d SFT steps on "
                        + "frame objects, %d on captions and %d on references, %d GRPO iterations, into %s", options.model(), options.recipe(),
                options.trainVideos(),
                options.heldOutVideos(), options.perceptionSteps(), options.captionSteps(), options.sftSteps(), options.iterations(),
                options.out()));
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        SynthWriter.write(new SynthOptions(train, options.trainVideos(), options.seed(), VideoFormat.DEFAULT, threads));
        SynthWriter.write(new SynthOptions(heldOut, options.heldOutVideos(), options.seed() + 1_000_003, VideoFormat.DEFAULT, threads));
        TrainingConfig sft = config(options, "sft", List.of(
                "data.train=" + prepared,
                "data.eval=" + RunFiles.child(heldOut, SynthWriter.MANIFEST),
                "data.references=" + RunFiles.child(train, SynthWriter.REFERENCES),
                "sft.perception_steps=" + options.perceptionSteps(),
                "sft.perception_batch_size=" + VIDEOS_PER_FRAME_STEP,
                "sft.caption_batch_size=" + VIDEOS_PER_FRAME_STEP,
                "sft.caption_steps=" + options.captionSteps(),
                "sft.steps=" + (options.captionSteps() + options.sftSteps())));
        TrainingConfig grpo = config(options, RunFiles.DEMO_GRPO_RUN, List.of(
                "data.train=" + prepared,
                "model.init=" + sft.run().out(),
                "run.iterations=" + options.iterations()));
        FrameSamplingConfig sampling = sft.video().toSampling();
        Preparation.Summary preparedSummary = Preparation.run(spark, new PrepareOptions(RunFiles.child(train, SynthWriter.MANIFEST),
                prepared, sampling, VideoCacheConfig.defaults(), 2 * spark.sparkContext().defaultParallelism(), OptionalDouble.empty(), false));
        progress.accept("prepared " + preparedSummary.samples() + " samples (" + preparedSummary.quarantined() + " quarantined)");

        SftTrainer.Outcome warm = new SftTrainer(spark, sft, progress).train();
        Dataset<Row> heldOutPrompts = TrainingData.load(spark, RunFiles.child(heldOut, SynthWriter.MANIFEST), TrainingData.Split.ALL,
                "held-out").persist(StorageLevel.MEMORY_AND_DISK());
        String warmStartAnswers = RunFiles.child(options.out(), "eval/warm-start");
        String grpoAnswers = RunFiles.child(options.out(), "eval/grpo");
        Evaluator.Result before = evaluate(spark, sft, warm.weights(), heldOutPrompts, warmStartAnswers);
        progress.accept(describe("warm start", before));

        GrpoTrainer.Outcome trained = new GrpoTrainer(spark, grpo, progress).train(false);
        Evaluator.Result after = evaluate(spark, grpo, trained.weights(), heldOutPrompts, grpoAnswers);
        progress.accept(describe("after GRPO", after));
        heldOutPrompts.unpersist(false);
        PairedGain gain = PairedGain.of(spark.read().parquet(warmStartAnswers), spark.read().parquet(grpoAnswers));

        Summary summary = new Summary(options.recipe(), before, after, gain, trained.iterations(), (System.nanoTime() - start) / 1e9);
        RunFiles.writeJson(RunFiles.child(options.out(), RunFiles.SUMMARY), toJson(summary, options), hadoop);
        RunReport.Written report = RunReport.write(spark, options.out(), List.of(), null);
        progress.accept("report: " + report.page());
        return summary;
    }

    private static Evaluator.Result evaluate(SparkSession spark, TrainingConfig config, PolicyWeights weights, Dataset<Row> prompts,
                                             String output) throws IOException {
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        StageContext context = StageContext.forPolicy(config, RunVocabulary.forPolicy(weights.spec(), config.run().out(), hadoop),
                weights.spec(), VideoCacheConfig.defaults(), new SerializableConfiguration(hadoop));
        return Evaluator.evaluate(spark, prompts, weights, context, Evaluator.Decoding.full(config.rollout().maxNewTokens()),
                List.of(), output);
    }

    /** The settings both stages share, with the recipe's services set up to run here (no hosted judge). */
    private static TrainingConfig config(DemoOptions options, String stage, List<String> more) {
        List<String> overrides = new ArrayList<>(List.of(
                "run.out=" + RunFiles.child(options.out(), stage),
                "run.seed=" + options.seed(),
                "recipe.name=" + options.recipe(),
                // The demo affords 100-200 GRPO steps: at the default 1e-4 held-out accuracy stayed flat
                // over 80 of them, at 4e-4 and 5e-4 it fell; at 2e-4 the sampled reward rises
                // (docs/experiments/demo-log.md).
                "optimizer.lr=" + GRPO_LEARNING_RATE,
                "grpo.kl_coef=" + GRPO_KL_COEF));
        if (options.model() == PolicyArchitecture.TINY) {
            overrides.add("model.patch_stride=" + PATCH_STRIDE);
            overrides.add("rollout.max_new_tokens=" + RESPONSE_TOKENS.get(options.recipe()));
        } else {
            overrides.addAll(List.of(
                    "model.architecture=" + options.model().key(),
                    "model.path=" + RunFiles.child(options.out(), BASE),
                    "model.finetune=" + TrainingConfig.Model.FULL,
                    "video.frame_size=" + QWEN_FRAME_SIZE,
                    "sft.batch_size=" + QWEN_SFT_BATCH,
                    "rollout.max_new_tokens=" + QWEN_RESPONSE_TOKENS.get(options.recipe())));
        }
        if (options.recipe().equals(VideoP2R.NAME) || options.recipe().equals(VideoR2.NAME)) {
            overrides.add("recipe.rule_judge=true");
        }
        if (options.recipe().equals(VideoR2.NAME)) {
            overrides.add("recipe.embedder=minilm");
        }
        overrides.addAll(more);
        overrides.addAll(options.overrides());
        return TrainingConfigLoader.load(null, "demo", overrides);
    }

    public static String describe(String label, Evaluator.Result result) {
        return String.format(Locale.ROOT, "%s: held-out accuracy %.3f, mean reward %.3f, %.1f tokens per answer (%d prompts) %s",
                label, result.overall().accuracy(), result.overall().meanReward(), result.overall().tokensPerAnswer(),
                result.overall().prompts(), format(result.byType()));
    }

    private static String format(Map<String, Evaluator.Scores> byType) {
        StringBuilder text = new StringBuilder("[");
        byType.forEach((type, scores) -> text.append(text.length() > 1 ? ", " : "").append(type).append(' ')
                .append(String.format(Locale.ROOT, "%.2f", scores.accuracy())));
        return text.append(']').toString();
    }

    private static Map<String, Object> toJson(Summary summary, DemoOptions options) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("model", options.model().key());
        json.put("recipe", summary.recipe());
        json.put("warm_start", evaluation(summary.warmStart()));
        json.put("grpo", evaluation(summary.grpo()));
        json.put("gain", summary.gain().toJson());
        json.put("perception_steps", options.perceptionSteps());
        json.put("caption_steps", options.captionSteps());
        json.put("sft_steps", options.sftSteps());
        json.put("iterations", summary.iterations());
        json.put("wall_s", summary.wallSeconds());
        json.put("seed", options.seed());
        json.put("held_out_prompts", summary.grpo().overall().prompts());
        return json;
    }

    private static Map<String, Object> evaluation(Evaluator.Result result) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("accuracy", result.overall().accuracy());
        json.put("mean_reward", result.overall().meanReward());
        json.put("tokens_per_answer", result.overall().tokensPerAnswer());
        Map<String, Double> byType = new TreeMap<>();
        result.byType().forEach((type, scores) -> byType.put(type, scores.accuracy()));
        json.put("accuracy_by_type", byType);
        return json;
    }
}
