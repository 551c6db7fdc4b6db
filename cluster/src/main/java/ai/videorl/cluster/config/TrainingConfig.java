package ai.videorl.cluster.config;

import ai.videorl.cluster.judge.JudgeEndpoint;
import ai.videorl.cluster.model.DecodingConfig;
import ai.videorl.cluster.model.ModelDtype;
import ai.videorl.cluster.model.PolicyArchitecture;
import ai.videorl.cluster.model.PolicyConfig;
import ai.videorl.cluster.reward.ConfiguredServices;
import ai.videorl.cluster.video.FrameSamplingConfig;
import ai.videorl.common.advantage.AdvantageEstimator;
import ai.videorl.common.advantage.AdvantageEstimators;
import ai.videorl.common.error.VideoRlException;
import ai.videorl.common.loss.KlEstimator;
import ai.videorl.common.loss.LossAggregation;
import ai.videorl.common.loss.PolicyLossConfig;
import ai.videorl.common.loss.PolicyLossMode;
import ai.videorl.common.optim.AdamWConfig;
import ai.videorl.common.optim.LearningRateSchedule;
import ai.videorl.common.recipe.Recipes;

import java.io.Serializable;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A training run's whole configuration, one record per section of the YAML file
 * ({@code defaults.yaml} beside this class lists every key with its one default). Each section
 * checks its own values, naming the key; the {@code to…} methods build the validated settings the
 * components take.
 */
public record TrainingConfig(Run run, Data data, Video video, Model model, Recipe recipe, Rollout rollout, Grpo grpo,
                             Optimizer optimizer, Sft sft, Spark spark) implements Serializable {

    public record Run(String out, long seed, int iterations, int checkpointEvery, int keepCheckpoints) implements Serializable {
        public Run {
            require(out != null && !out.isBlank(), "run.out must name a directory");
            require(iterations >= 1, "run.iterations must be at least 1, got " + iterations);
            require(checkpointEvery >= 1, "run.checkpoint_every must be at least 1, got " + checkpointEvery);
            require(keepCheckpoints >= 1, "run.keep_checkpoints must be at least 1, got " + keepCheckpoints);
        }
    }

    public record Data(String train, String eval, String references, int promptsPerStep) implements Serializable {
        public Data {
            require(promptsPerStep >= 1, "data.prompts_per_step must be at least 1, got " + promptsPerStep);
        }
    }

    public record Video(double fps, int minFrames, int maxFrames, int frameSize, boolean burnClock) implements Serializable {
        public FrameSamplingConfig toSampling() {
            return new FrameSamplingConfig(fps, minFrames, maxFrames, frameSize, frameSize, burnClock);
        }
    }

    /**
     * @param architecture {@code model.architecture}, a {@link PolicyArchitecture} name
     * @param path a pretrained architecture's Hugging Face checkpoint (a local directory or a Hadoop URI); the tiny one has none
     * @param dtype what a pretrained model computes in, a {@link ModelDtype} name
     * @param finetune what of a pretrained model trains: {@code lora} (adapters over the frozen base) or {@code full} (every
     *        weight, for small models)
     * @param lora the adapters a pretrained model trains
     */
    public record Model(String architecture, String init, String path, String dtype, String finetune, Lora lora, int width, int layers,
                        int heads, int maxLength, int patchStride, int frameGrid, int frameTimes) implements Serializable {
        public static final String LORA = "lora";
        public static final String FULL = "full";

        public Model {
            PolicyArchitecture.named(architecture, "model.architecture");
            ModelDtype.parse(dtype);
            Objects.requireNonNull(lora, "model.lora");
            require(PolicyArchitecture.named(architecture, "model.architecture") == PolicyArchitecture.TINY || !path.isBlank(),
                    "model.path must name the Hugging Face checkpoint of model.architecture " + architecture);
            require(LORA.equals(finetune) || FULL.equals(finetune), "model.finetune must be lora or full, got " + finetune);
            require(!FULL.equals(finetune) || PolicyArchitecture.named(architecture, "model.architecture") != PolicyArchitecture.TINY,
                    "model.finetune is for a pretrained model.architecture (the tiny policy always trains every weight): leave it lora");
            require(!FULL.equals(finetune) || ModelDtype.parse(dtype) == ModelDtype.FLOAT32,
                    "model.finetune full trains float32 weights: model.dtype must be float32, got " + dtype);
        }

        /** Whether every weight of a pretrained model trains (not LoRA adapters). */
        public boolean fullFinetune() {
            return FULL.equals(finetune);
        }

        public PolicyArchitecture policyArchitecture() {
            return PolicyArchitecture.named(architecture, "model.architecture");
        }

        public ModelDtype modelDtype() {
            return ModelDtype.parse(dtype);
        }

        public PolicyConfig toPolicy(int vocabularySize, Video video) {
            return new PolicyConfig(vocabularySize, width, layers, heads, video.frameSize(), video.maxFrames(), maxLength, patchStride, 0,
                    frameGrid, frameTimes);
        }
    }

    /**
     * LoRA as PEFT defines it: {@code y + dropout(x) A^T B^T · alpha / rank}.
     *
     * @param targets module names, comma-separated: a language-model projection ({@code q_proj}) adapts it in every layer;
     *        {@code visual.} before a vision block's projection ({@code visual.qkv}) adapts it in every vision block
     */
    public record Lora(int rank, double alpha, double dropout, String targets) implements Serializable {
        public Lora {
            require(rank >= 1, "model.lora.rank must be at least 1, got " + rank);
            require(alpha > 0 && Double.isFinite(alpha), "model.lora.alpha must be positive, got " + alpha);
            require(dropout >= 0 && dropout < 1, "model.lora.dropout must be in [0, 1), got " + dropout);
            require(targets != null && !targetList(targets).isEmpty(), "model.lora.targets must name at least one module");
        }

        /** The target names, trimmed, in order. */
        public List<String> targetList() {
            return targetList(targets);
        }

        private static List<String> targetList(String targets) {
            return Arrays.stream(targets.split(",")).map(String::trim).filter(name -> !name.isEmpty()).toList();
        }
    }

    /**
     * @param overlongBuffer DAPO's overlong reward shaping: the last tokens before
     *        {@code rollout.max_new_tokens} over which a penalty grows linearly to {@code overlongPenalty}; 0 for none
     */
    public record Recipe(String name, String judgeUrl, String judgeModel, String judgeKeyEnv, boolean ruleJudge,
                         String embedder, String judgeFailure, String claims, String tarScore, double judgeTimeoutS,
                         int judgeConcurrency, int judgeAttempts, long judgeBackoffMs, int judgeBreakAfter, double judgeRetryS,
                         int overlongBuffer, double overlongPenalty) implements Serializable {
        public Recipe {
            require(overlongBuffer >= 0, "recipe.overlong_buffer must be >= 0 (0: no shaping), got " + overlongBuffer);
            require(overlongPenalty >= 0 && Double.isFinite(overlongPenalty),
                    "recipe.overlong_penalty must be >= 0, got " + overlongPenalty);
            require(judgeTimeoutS > 0, "recipe.judge_timeout_s must be positive, got " + judgeTimeoutS);
            require(judgeConcurrency >= 1, "recipe.judge_concurrency must be at least 1, got " + judgeConcurrency);
            require(judgeAttempts >= 1, "recipe.judge_attempts must be at least 1, got " + judgeAttempts);
            require(judgeBackoffMs >= 0, "recipe.judge_backoff_ms must be >= 0, got " + judgeBackoffMs);
            require(judgeBreakAfter >= 1, "recipe.judge_break_after must be at least 1, got " + judgeBreakAfter);
            require(judgeRetryS >= 0, "recipe.judge_retry_s must be >= 0, got " + judgeRetryS);
        }

        public ConfiguredServices.Options toServiceOptions() {
            return new ConfiguredServices.Options(blankToNull(judgeUrl), blankToNull(judgeModel), blankToNull(judgeKeyEnv),
                    ruleJudge, blankToNull(embedder), judgeFailure, claims, tarScore, new JudgeEndpoint.Limits(
                    Duration.ofMillis(Math.round(judgeTimeoutS * 1000)), judgeConcurrency, judgeAttempts, Duration.ofMillis(judgeBackoffMs),
                    judgeBreakAfter, Duration.ofMillis(Math.round(judgeRetryS * 1000))));
        }
    }

    /**
     * @param batchRows rollouts an executor decodes together (and at most the rows evaluation decodes together): what bounds
     *        a pretrained model's KV cache and prefill memory on its device
     */
    public record Rollout(int groupSize, double temperature, int topK, double topP, int maxNewTokens, int partitions, int batchRows)
            implements Serializable {
        public Rollout {
            require(groupSize >= 2, "rollout.group_size must be at least 2 (advantages compare rollouts), got " + groupSize);
            require(partitions >= 0, "rollout.partitions must be >= 0 (0: one per executor), got " + partitions);
            require(batchRows >= 1, "rollout.batch_rows must be at least 1, got " + batchRows);
        }

        public DecodingConfig toDecoding() {
            return DecodingConfig.sampling(temperature, topK, topP, maxNewTokens);
        }

        /**
         * GRPO compares a prompt's rollouts: greedy decoding (temperature 0, or top-k 1) makes them
         * all the same, every group zero-variance, and the update empty. Evaluation decodes greedily
         * on purpose and does not ask this.
         */
        public void requireVariedRollouts() {
            require(temperature > 0, "rollout.temperature 0 decodes greedily: a group's rollouts are then all the same and GRPO "
                    + "learns nothing; sample above 0 (the papers use 0.9-1.0)");
            require(topK != 1, "rollout.top_k 1 decodes greedily: a group's rollouts are then all the same and GRPO learns "
                    + "nothing; use 0 (none) or more than 1 (Video-R2 uses 50)");
        }
    }

    /** @param microBatchRows sequences in one forward and backward pass (GRPO's and SFT's): what bounds activation memory */
    public record Grpo(String estimator, double epsilon, boolean dropDegenerateGroups, String policyLoss, double clipLow,
                       double clipHigh, double dualClip, String lossAggregation, String klEstimator, double klCoef, double entropyCoef,
                       int ppoEpochs, int miniBatches, double maxGradNorm, int maxTopUpRounds, int microBatchRows) implements Serializable {
        public Grpo {
            require(microBatchRows >= 1, "grpo.micro_batch_rows must be at least 1, got " + microBatchRows);
            require(maxTopUpRounds >= 0, "grpo.max_top_up_rounds must be >= 0, got " + maxTopUpRounds);
            require(ppoEpochs >= 1, "grpo.ppo_epochs must be at least 1, got " + ppoEpochs);
            require(miniBatches >= 1, "grpo.mini_batches must be at least 1, got " + miniBatches);
            require(maxGradNorm > 0, "grpo.max_grad_norm must be positive, got " + maxGradNorm);
        }

        public AdvantageEstimator toEstimator() {
            return AdvantageEstimators.create(estimator, epsilon);
        }

        public PolicyLossConfig toLoss() {
            // YAML has no infinity Jackson reads: 0 switches the dual clip off.
            return new PolicyLossConfig(PolicyLossMode.parse(policyLoss), clipLow, clipHigh,
                    dualClip == 0 ? Double.POSITIVE_INFINITY : dualClip, LossAggregation.parse(lossAggregation),
                    KlEstimator.parse(klEstimator), klCoef, entropyCoef);
        }
    }

    /**
     * GRPO's optimizer: AdamW, its rate warmed up over {@code warmupSteps} optimizer steps and then
     * held or decayed ({@code lrDecay}: none, linear or cosine) towards 0 at the run's last step.
     */
    public record Optimizer(double lr, double beta1, double beta2, double eps, double weightDecay, int warmupSteps,
                            String lrDecay) implements Serializable {
        public Optimizer {
            require(warmupSteps >= 0, "optimizer.warmup_steps must be >= 0, got " + warmupSteps);
            decay("optimizer.lr_decay", lrDecay);
        }

        public AdamWConfig toAdamW() {
            return new AdamWConfig(lr, beta1, beta2, eps, weightDecay);
        }

        /** The rates of a run of {@code steps} optimizer steps. */
        public LearningRateSchedule schedule(int steps) {
            return new LearningRateSchedule(lr, warmupSteps, steps, decay("optimizer.lr_decay", lrDecay));
        }
    }

    /**
     * @param lrDecay after the warm-up: none, linear or cosine, towards 0 at each stage's last step
     * @param captionSteps the first steps of {@code steps}, which train on video captions before the recipe's references
     * @param captionBatchSize examples (one caption per video) a caption step takes
     * @param captionReplay whether the steps on the references also take each of their videos' captions
     * @param perceptionSteps steps before {@code steps} that train the frame encoder alone on which objects each frame shows
     * @param perceptionBatchSize videos a perception step takes
     * @param perceptionLr the perception stage's peak learning rate
     */
    public record Sft(int steps, int batchSize, double lr, int warmupSteps, String lrDecay, int captionSteps, int captionBatchSize,
                      boolean captionReplay, int perceptionSteps, int perceptionBatchSize, double perceptionLr)
            implements Serializable {
        public Sft {
            require(perceptionSteps >= 0, "sft.perception_steps must be >= 0, got " + perceptionSteps);
            require(perceptionBatchSize >= 1, "sft.perception_batch_size must be at least 1, got " + perceptionBatchSize);
            require(perceptionLr > 0, "sft.perception_lr must be positive, got " + perceptionLr);
            require(steps >= 0, "sft.steps must be >= 0, got " + steps);
            require(captionSteps >= 0 && captionSteps <= steps,
                    "sft.caption_steps must be between 0 and sft.steps (" + steps + "), got " + captionSteps);
            require(captionBatchSize >= 1, "sft.caption_batch_size must be at least 1, got " + captionBatchSize);
            require(warmupSteps >= 0, "sft.warmup_steps must be >= 0, got " + warmupSteps);
            decay("sft.lr_decay", lrDecay);
            require(batchSize >= 1, "sft.batch_size must be at least 1, got " + batchSize);
            require(lr > 0, "sft.lr must be positive, got " + lr);
        }

        /** The rates of a stage of {@code stageSteps} steps that peaks at {@code peak}. */
        public LearningRateSchedule schedule(double peak, int stageSteps) {
            return new LearningRateSchedule(peak, warmupSteps, stageSteps, decay("sft.lr_decay", lrDecay));
        }
    }

    public record Spark(Map<String, String> conf) implements Serializable {
        public Spark {
            conf = Map.copyOf(conf);
        }
    }

    /**
     * Builds every component's settings once, so a bad value fails before any work starts, with
     * the component's own message naming the key.
     */
    public TrainingConfig validated() {
        video.toSampling();
        // The vocabulary size comes from the tokenizer at run time; any valid size checks the rest.
        model.toPolicy(64, video);
        rollout.toDecoding();
        recipe.toServiceOptions();
        require(recipe.overlongBuffer() <= rollout.maxNewTokens(), "recipe.overlong_buffer (" + recipe.overlongBuffer()
                + ") must not exceed rollout.max_new_tokens (" + rollout.maxNewTokens() + ")");
        grpo.toEstimator();
        grpo.toLoss();
        optimizer.toAdamW();
        Recipes.create(recipe.name());
        return this;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    /** The learning-rate decay {@code value} names, or an error naming {@code key}. */
    private static LearningRateSchedule.Decay decay(String key, String value) {
        try {
            return LearningRateSchedule.Decay.parse(value);
        } catch (VideoRlException e) {
            throw VideoRlException.invalidConfiguration(key + ": " + e.getMessage());
        }
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw VideoRlException.invalidConfiguration(message);
        }
    }
}
