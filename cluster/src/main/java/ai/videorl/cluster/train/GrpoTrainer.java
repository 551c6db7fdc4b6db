package ai.videorl.cluster.train;

import ai.videorl.cluster.config.TrainingConfig;
import ai.videorl.cluster.config.TrainingConfigLoader;
import ai.videorl.cluster.data.Columns;
import ai.videorl.cluster.data.PromptPartitioner;
import ai.videorl.cluster.data.VideoCacheConfig;
import ai.videorl.cluster.model.PolicyWeights;
import ai.videorl.cluster.rollout.PolicyShards;
import ai.videorl.cluster.rollout.PushedWeights;
import ai.videorl.cluster.spark.GracefulStop;
import ai.videorl.cluster.store.Checkpoint;
import ai.videorl.cluster.store.CheckpointStore;
import ai.videorl.cluster.store.MetricsLog;
import ai.videorl.cluster.store.SerializableConfiguration;
import ai.videorl.common.error.VideoRlException;
import ai.videorl.common.loss.BatchShape;
import ai.videorl.common.loss.LossResult;
import ai.videorl.common.metrics.MetricKeys;
import ai.videorl.common.optim.AdamW;
import ai.videorl.common.optim.LearningRateSchedule;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.StatCounter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.hash;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;

/**
 * GRPO on Spark. Each iteration:
 * <ol>
 *   <li>rollouts: executors' policy shards sample G responses for each drawn prompt;</li>
 *   <li>rewards: the recipe's terms, one column each;</li>
 *   <li>advantages: per prompt group (dynamic sampling drops groups that teach nothing and draws
 *       more prompts, a bounded number of times);</li>
 *   <li>update: for each PPO epoch and mini-batch, executors' gradients are summed with
 *       {@code treeAggregate}, the driver clips them and takes an AdamW step, and the new weights
 *       are pushed as the next version;</li>
 *   <li>store: the iteration's rollouts (Parquet, partitioned by iteration), its metrics line, and
 *       every {@code run.checkpoint_every} iterations a committed checkpoint.</li>
 * </ol>
 * Everything random is a function of the run seed, so a run resumed from a checkpoint reaches
 * the same weights as one that never stopped.
 */
public final class GrpoTrainer {

    private static final Logger LOG = LoggerFactory.getLogger(GrpoTrainer.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SparkSession spark;
    private final JavaSparkContext sparkContext;
    private final TrainingConfig config;
    private final Configuration hadoop;
    private final Consumer<String> progress;

    public GrpoTrainer(SparkSession spark, TrainingConfig config, Consumer<String> progress) {
        this.spark = spark;
        this.sparkContext = JavaSparkContext.fromSparkContext(spark.sparkContext());
        this.config = config;
        this.hadoop = spark.sparkContext().hadoopConfiguration();
        this.progress = progress;
    }

    /** What a finished run leaves: its last iteration's weights and metrics. */
    public record Outcome(int iterations, PolicyWeights weights, Map<String, Double> lastMetrics) {
    }

    /**
     * Runs the iterations from the start, or after the newest committed checkpoint with
     * {@code resume}.
     *
     * @throws RunStopped when the JVM shuts down (SIGTERM) mid-run: the iteration in flight is
     *         abandoned, and a resume repeats it from the newest committed checkpoint
     */
    public Outcome train(boolean resume) throws IOException {
        config.rollout().requireVariedRollouts();
        RunInputs.check(config, false, hadoop);
        RunState run = RunState.open(this, resume);
        Map<String, Double> last = Map.of();
        // The run is closed, and the stop said, before the shutdown may go on and stop Spark.
        try (GracefulStop stop = GracefulStop.install(spark.sparkContext())) {
            try {
                for (int iteration = run.iteration + 1; iteration <= config.run().iterations(); iteration++) {
                    try {
                        last = iterate(run, iteration);
                    } catch (Exception e) { // Spark's job failures reach Java unchecked, though SparkException is checked
                        if (stop.requested()) {
                            throw run.stopped(iteration);
                        }
                        throw e;
                    }
                    if (stop.requested() && iteration < config.run().iterations()) {
                        throw run.stopped(iteration + 1);
                    }
                }
                return new Outcome(run.iteration, run.weights, last);
            } finally {
                run.close(stop.requested());
            }
        }
    }

    /** One GRPO iteration: rollouts, rewards, advantages, the update, the store, the metrics and a checkpoint when due. */
    private Map<String, Double> iterate(RunState run, int iteration) throws IOException {
        IterationClock clock = new IterationClock();
        Batch batch = generateGroups(run, iteration, clock);
        Update update = updatePolicy(run, iteration, batch.trainable(), clock);
        clock.run(MetricKeys.Stage.STORE, () -> RolloutStore.write(batch.all(), config.run().out()));
        Map<String, Double> metrics = IterationReport.of(batch, update, clock, run, config).toMap();
        run.metrics.append(iteration, metrics);
        run.iteration = iteration;
        if (iteration % config.run().checkpointEvery() == 0 || iteration == config.run().iterations()) {
            run.commit(config);
        }
        progress.accept(IterationReport.line(iteration, config.run().iterations(), metrics));
        batch.release();
        run.retireOldWeights();
        return metrics;
    }

    /** Rollouts, rewards and advantages of one iteration's prompts, topped up when groups are dropped. */
    private Batch generateGroups(RunState run, int iteration, IterationClock clock) {
        int wanted = Math.min(config.data().promptsPerStep(), run.cursor.size());
        List<Dataset<Row>> parts = new ArrayList<>();
        Set<String> drawnIds = new HashSet<>();
        int informative = 0;
        for (int round = 0; round <= config.grpo().maxTopUpRounds(); round++) {
            // A prompt drawn twice would only repeat its rollouts (their seeds do not change): skip repeats.
            List<String> ids = run.cursor.next(round == 0 ? wanted : wanted - informative).stream().filter(drawnIds::add).toList();
            if (ids.isEmpty()) {
                break;
            }
            Dataset<Row> prompts = run.prompts.filter(col(Columns.ID).isin(ids.toArray()));
            Dataset<Row> placed = PromptPartitioner.balance(spark, prompts, Math.min(ids.size(), run.rolloutPartitions));
            RolloutStage.Sampling sampling = new RolloutStage.Sampling(iteration, config.rollout().groupSize(),
                    config.rollout().toDecoding(), config.run().seed());
            Dataset<Row> rollouts = clock.persist(MetricKeys.Stage.GENERATE,
                    RolloutStage.generate(spark, placed, run.policy, run.reference, sampling, run.context));
            Dataset<Row> scored = clock.persist(MetricKeys.Stage.REWARD, RewardStage.score(spark, rollouts, run.terms, run.context));
            Dataset<Row> advantaged = clock.persist(MetricKeys.Stage.ADVANTAGE, AdvantageStage.compute(scored, run.context));
            rollouts.unpersist(false);
            scored.unpersist(false);
            parts.add(advantaged);
            if (!config.grpo().dropDegenerateGroups()) {
                break;
            }
            informative += (int) advantaged.filter(AdvantageStage.informative()).select(Columns.ID).distinct().count();
            if (informative >= wanted) {
                break;
            }
        }
        Dataset<Row> all = parts.stream().reduce(Dataset::union).orElseThrow();
        Dataset<Row> trainable = all.filter(col(RolloutColumns.DROPPED).equalTo(lit(false)));
        if (config.grpo().dropDegenerateGroups()) {
            trainable = trainable.filter(AdvantageStage.informative());
        }
        return new Batch(all, trainable, parts, drawnIds.size());
    }

    /**
     * PPO epochs over mini-batches: gradients summed on the executors, the step on the driver, the
     * weights pushed. The learning rate follows the run's schedule over its planned optimizer steps
     * (iterations × epochs × mini-batches), so a resumed run takes the same rates.
     */
    private Update updatePolicy(RunState run, int iteration, Dataset<Row> trainable, IterationClock clock) {
        int miniBatches = config.grpo().miniBatches();
        int stepsPerIteration = config.grpo().ppoEpochs() * miniBatches;
        LearningRateSchedule schedule = config.optimizer().schedule(config.run().iterations() * stepsPerIteration);
        List<Double> norms = new ArrayList<>();
        LossResult losses = LossResult.EMPTY;
        int skipped = 0;
        double rate = schedule.at(iteration * stepsPerIteration);
        for (int epoch = 0; epoch < config.grpo().ppoEpochs(); epoch++) {
            // Rows are assigned to mini-batches by a hash of (prompt, sample, epoch): the same split on every re-run.
            Dataset<Row> assigned = trainable.withColumn("mini_batch",
                    pmod(hash(col(Columns.ID), col(RolloutColumns.SAMPLE_INDEX), lit(epoch)), lit(miniBatches)));
            for (int part = 0; part < miniBatches; part++) {
                Dataset<Row> miniBatch = miniBatches == 1 ? trainable : assigned.filter(col("mini_batch").equalTo(part)).drop("mini_batch");
                // Summed as an RDD of the cached rows: one small job, where a Dataset aggregation runs three.
                StatCounter lengths = miniBatch.select(RolloutColumns.RESPONSE_LENGTH).javaRDD().mapToDouble(row -> row.getInt(0)).stats();
                if (lengths.count() == 0) {
                    continue;
                }
                BatchShape shape = new BatchShape(Math.toIntExact(lengths.count()), Math.round(lengths.sum()),
                        config.rollout().maxNewTokens());
                GradientSum summed = clock.time(MetricKeys.Stage.UPDATE_ACTOR,
                        () -> GradientStage.policyGradient(miniBatch, run.policy, shape, run.context));
                rate = schedule.at((iteration - 1) * stepsPerIteration + epoch * miniBatches + part + 1);
                OptimizerStep step = OptimizerStep.take(summed, run.weights, run.optimizer, config.grpo().maxGradNorm(), rate);
                if (!step.taken()) {
                    LOG.warn("skipping an update whose gradient is not finite (norm {})", step.gradientNorm());
                    skipped++;
                    continue;
                }
                norms.add(step.gradientNorm());
                losses = losses.plus(summed.loss());
                clock.run(MetricKeys.Stage.UPDATE_WEIGHTS, () -> run.push(step.weights()));
            }
        }
        int steps = Math.max(1, norms.size());
        // Per-step losses averaged over the iteration's steps; token counts (and so the clip fractions and KL) pooled.
        LossResult mean = new LossResult(losses.loss() / steps, losses.pgLoss() / steps, losses.klLoss() / steps,
                losses.entropy() / steps, losses.tokens(), losses.clippedTokens(), losses.dualClippedTokens(),
                losses.negativeLogRatioSum());
        return new Update(mean, norms.stream().mapToDouble(Double::doubleValue).average().orElse(0), norms.size(), skipped, rate);
    }

    /** One iteration's rollouts: all of them (to store), those the update trains on, and how many prompts were drawn. */
    record Batch(Dataset<Row> all, Dataset<Row> trainable, List<Dataset<Row>> persisted, int promptsDrawn) {
        void release() {
            persisted.forEach(part -> part.unpersist(false));
        }
    }

    /**
     * What the update did: the loss averaged over its steps, the mean pre-clip gradient norm, steps
     * taken and skipped, and the learning rate of its last step.
     */
    record Update(LossResult loss, double meanGradientNorm, int steps, int skipped, double learningRate) {
    }

    /** The run's evolving state on the driver. */
    static final class RunState {
        private final GrpoTrainer trainer;
        final Dataset<Row> prompts;
        final PromptCursor cursor;
        final StageContext context;
        final List<String> terms;
        final AdamW optimizer;
        final MetricsLog metrics;
        final CheckpointStore checkpoints;
        final PushedWeights reference;
        final int workers;
        final int rolloutPartitions;
        PolicyWeights weights;
        PushedWeights policy;
        private final List<PushedWeights> retired = new ArrayList<>();
        int iteration;
        /** The newest committed checkpoint's iteration (a resumed run starts from one), 0 for none. */
        int committed;

        private RunState(GrpoTrainer trainer, Dataset<Row> prompts, PromptCursor cursor, StageContext context, List<String> terms,
                         AdamW optimizer, MetricsLog metrics, CheckpointStore checkpoints, PushedWeights reference,
                         PolicyWeights weights, int iteration) {
            this.trainer = trainer;
            this.prompts = prompts;
            this.cursor = cursor;
            this.context = context;
            this.terms = terms;
            this.optimizer = optimizer;
            this.metrics = metrics;
            this.checkpoints = checkpoints;
            this.reference = reference;
            this.weights = weights;
            this.iteration = iteration;
            this.committed = iteration;
            this.workers = trainer.sparkContext.defaultParallelism();
            this.rolloutPartitions = RolloutStage.partitions(trainer.spark, trainer.config);
            this.policy = PushedWeights.push(trainer.sparkContext, weights, PolicyShards.Role.POLICY);
        }

        static RunState open(GrpoTrainer trainer, boolean resume) throws IOException {
            TrainingConfig config = trainer.config;
            Configuration hadoop = trainer.hadoop;
            String out = config.run().out();
            Dataset<Row> prompts = TrainingData.load(trainer.spark, config.data().train(), TrainingData.Split.GRPO, "data.train")
                    .persist(StorageLevel.MEMORY_AND_DISK());
            List<String> ids = prompts.select(Columns.ID).orderBy(Columns.ID).as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
            if (ids.isEmpty()) {
                throw VideoRlException.invalidConfiguration("data.train: " + config.data().train() + " holds no samples");
            }
            PolicyStart start = PolicyStart.resolve(config, prompts, List.of(), hadoop);
            CheckpointStore checkpoints = new CheckpointStore(out, hadoop, config.run().keepCheckpoints());
            CheckpointStore.Loaded loaded = checkpoints.latest();
            if (!resume && loaded.checkpoint().isPresent()) {
                throw VideoRlException.invalidConfiguration("run.out: " + out + " already holds a run (checkpoint of iteration "
                        + loaded.checkpoint().get().iteration() + "); pass --resume to continue it, or choose another directory");
            }
            StageContext context = StageContext.forPolicy(config, start.vocabulary(), start.weights().spec(), VideoCacheConfig.defaults(),
                    new SerializableConfiguration(hadoop));
            List<String> terms = RewardStage.termNames(context);
            PushedWeights reference = config.grpo().klCoef() > 0
                    ? PushedWeights.push(trainer.sparkContext, start.weights(), PolicyShards.Role.REFERENCE) : null;
            if (resume && loaded.checkpoint().isPresent()) {
                Checkpoint checkpoint = loaded.checkpoint().get();
                // A tiny policy reads its run's vocabulary, which model.init may have carried from an earlier run.
                RunVocabulary vocabulary = start.vocabulary() == null ? null : RunVocabulary.read(out, hadoop);
                StageContext resumed = StageContext.forPolicy(config, vocabulary, checkpoint.weights().spec(), context.videoCache(),
                        context.hadoop());
                long position = JSON.readTree(checkpoint.state()).path("cursor").asLong();
                trainer.progress.accept("resuming " + out + " after iteration " + checkpoint.iteration()
                        + (loaded.skipped().isEmpty() ? "" : " (skipped damaged checkpoints: " + loaded.skipped() + ")"));
                return new RunState(trainer, prompts, new PromptCursor(ids, config.run().seed(), position), resumed, terms,
                        new AdamW(config.optimizer().toAdamW(), checkpoint.optimizer()),
                        MetricsLog.resume(out, hadoop, checkpoint.iteration()), checkpoints, reference, checkpoint.weights(),
                        Math.toIntExact(checkpoint.iteration()));
            }
            if (start.vocabulary() != null) {
                start.vocabulary().write(out, hadoop);
            }
            trainer.progress.accept("training " + config.recipe().name() + " on " + ids.size() + " prompts for "
                    + config.run().iterations() + " iterations into " + out);
            return new RunState(trainer, prompts, new PromptCursor(ids, config.run().seed(), 0), context, terms,
                    new AdamW(config.optimizer().toAdamW(), start.weights().values().length), MetricsLog.start(out, hadoop),
                    checkpoints, reference, start.weights(), 0);
        }

        /** Broadcasts new weights as the next version. */
        void push(PolicyWeights next) {
            retired.add(policy);
            weights = next;
            policy = PushedWeights.push(trainer.sparkContext, next, PolicyShards.Role.POLICY);
        }

        /**
         * Frees the iteration's older weight versions. Only now: until the iteration's rollouts are
         * stored, a lost cached partition is regenerated from the version that made it.
         */
        void retireOldWeights() {
            retired.forEach(PushedWeights::destroy);
            retired.clear();
        }

        /** Why the run stops before {@code iteration}: the shutdown, and where a resume continues. */
        RunStopped stopped(int iteration) {
            RunStopped stopped = new RunStopped("stopped by a shutdown signal (SIGTERM): iteration " + iteration + " is abandoned; "
                    + (committed == 0 ? "no checkpoint was committed yet, so a new run starts over"
                    : "--resume continues after iteration " + committed + ", the newest committed checkpoint"));
            // Said here: once the run lets the shutdown go on, the JVM may end before anyone else can.
            LOG.warn(stopped.getMessage());
            return stopped;
        }

        void commit(TrainingConfig config) throws IOException {
            ObjectNode state = JSON.createObjectNode();
            state.put("cursor", cursor.position());
            state.put("weight_version", weights.version());
            // A checkpoint's iterations are in the file before it is committed: a resumed run keeps exactly those lines.
            metrics.flush();
            checkpoints.commit(new Checkpoint(iteration, weights, optimizer.state(), JSON.writeValueAsString(state),
                    TrainingConfigLoader.toYaml(config)));
            committed = iteration;
        }

        /**
         * Writes what is left of the metrics and frees the run's cached data and weights, unless the
         * JVM is shutting down: Spark then frees everything itself, and a removal started now would
         * only fail against its stopping thread pools.
         */
        void close(boolean shuttingDown) {
            try {
                metrics.flush();
            } catch (IOException e) {
                LOG.warn("could not write the last lines of {}: {}", MetricsLog.FILE, e.toString());
            }
            if (shuttingDown) {
                return;
            }
            retireOldWeights();
            policy.destroy();
            if (reference != null) {
                reference.destroy();
            }
            prompts.unpersist(false);
        }
    }
}
