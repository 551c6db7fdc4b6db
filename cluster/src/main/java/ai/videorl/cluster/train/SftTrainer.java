package ai.videorl.cluster.train;

import ai.djl.Device;
import ai.videorl.cluster.config.TrainingConfig;
import ai.videorl.cluster.config.TrainingConfigLoader;
import ai.videorl.cluster.data.Columns;
import ai.videorl.cluster.data.SampleRows;
import ai.videorl.cluster.data.VideoCacheConfig;
import ai.videorl.cluster.model.PolicyConfig;
import ai.videorl.cluster.model.PolicyWeights;
import ai.videorl.cluster.model.VideoPolicy;
import ai.videorl.cluster.rollout.PolicyShards;
import ai.videorl.cluster.rollout.PushedWeights;
import ai.videorl.cluster.store.Checkpoint;
import ai.videorl.cluster.store.CheckpointStore;
import ai.videorl.cluster.store.MetricsLog;
import ai.videorl.cluster.store.SerializableConfiguration;
import ai.videorl.common.error.VideoRlException;
import ai.videorl.common.loss.BatchShape;
import ai.videorl.common.metrics.MetricKeys;
import ai.videorl.common.optim.AdamW;
import ai.videorl.common.optim.LearningRateSchedule;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.substring_index;

/**
 * The SFT warm start: token-mean cross-entropy of reference responses, data parallel the same
 * way GRPO's update is (executors' gradients summed with {@code treeAggregate}, clipped AdamW on
 * the driver with a linear warm-up, weights broadcast after each step). Batches are drawn epoch
 * by epoch in a seeded order. The run directory gets the vocabulary, a metrics line per step and
 * a committed checkpoint at the end: {@code train}'s {@code model.init}.
 */
public final class SftTrainer {

    private static final Logger LOG = LoggerFactory.getLogger(SftTrainer.class);

    /** What the caption stage asks about every video. */
    static final String CAPTION_PROMPT = "Describe the video.";
    /** Appended to a caption example's id: it is asked about the same video as the sample it was made from. */
    static final String CAPTION_ID_SUFFIX = "#caption";
    static final String LOSS = "sft/loss";
    static final String CAPTION_LOSS = "sft/caption_loss";
    static final String PERCEPTION_LOSS = "sft/perception_loss";

    private final SparkSession spark;
    private final TrainingConfig config;
    private final Consumer<String> progress;

    public SftTrainer(SparkSession spark, TrainingConfig config, Consumer<String> progress) {
        this.spark = spark;
        this.config = config;
        this.progress = progress;
    }

    /** What SFT leaves: its weights and the last step's loss. */
    public record Outcome(int steps, PolicyWeights weights, double lastLoss) {
    }

    public Outcome train() throws IOException {
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        RunInputs.check(config, true, hadoop);
        String out = config.run().out();
        CheckpointStore checkpoints = new CheckpointStore(out, hadoop, config.run().keepCheckpoints());
        if (checkpoints.latest().checkpoint().isPresent()) {
            throw VideoRlException.invalidConfiguration("run.out: " + out + " already holds a run; choose another directory");
        }
        TrainingConfig.Sft sft = config.sft();
        Dataset<Row> samples = TrainingData.load(spark, config.data().train(), TrainingData.Split.SFT, "data.train");
        Dataset<Row> references = SftReferences.load(spark, config.data().references(), config.recipe().name());
        Dataset<Row> examples = samples.join(references, Columns.ID).persist(StorageLevel.MEMORY_AND_DISK());
        long usable = examples.count();
        long unmatched = samples.count() - usable;
        if (usable == 0) {
            throw VideoRlException.invalidInput("data.references: no reference in " + config.data().references()
                    + " matches a sample id of " + config.data().train());
        }
        if (unmatched > 0) {
            LOG.warn("{} samples of {} have no reference response and are left out of SFT", unmatched, config.data().train());
        }
        boolean captioned = sft.captionSteps() > 0 || sft.captionReplay();
        Dataset<Row> captions = !captioned ? examples.limit(0)
                : captionExamples(samples, SftReferences.loadCaptions(spark, config.data().references())).persist(StorageLevel.MEMORY_AND_DISK());
        if (captioned && captions.isEmpty()) {
            throw VideoRlException.invalidInput("data.references: no caption in " + config.data().references()
                    + " matches a sample id of " + config.data().train() + " (sft.caption_steps and sft.caption_replay need them)");
        }
        Dataset<Row> prompts = examples.selectExpr(SampleRows.SCHEMA.fieldNames())
                .union(captions.selectExpr(SampleRows.SCHEMA.fieldNames()));
        if (!config.data().eval().isBlank()) {
            prompts = prompts.union(TrainingData.load(spark, config.data().eval(), TrainingData.Split.ALL, "data.eval")
                    .selectExpr(SampleRows.SCHEMA.fieldNames()));
        }
        List<String> responses = new ArrayList<>(examples.select(SftReferences.RESPONSE).as(Encoders.STRING()).collectAsList());
        responses.addAll(captions.select(SftReferences.RESPONSE).as(Encoders.STRING()).collectAsList());
        PolicyStart start = PolicyStart.resolve(config, prompts, responses, hadoop);
        StageContext context = StageContext.forPolicy(config, start.vocabulary(), start.weights().spec(), VideoCacheConfig.defaults(),
                new SerializableConfiguration(hadoop));
        // A pretrained policy's positions (tens of thousands) hold any reference; the tiny policy's are few.
        int room = Integer.MAX_VALUE;
        if (start.vocabulary() != null) {
            start.vocabulary().write(out, hadoop);
            PolicyConfig policy = start.weights().tiny();
            room = policy.maxLength() - policy.frameTokens(config.video().maxFrames()) - start.vocabulary().promptLength();
        }
        Set<String> captionIds = new HashSet<>(captions.select(Columns.ID).as(Encoders.STRING()).collectAsList());
        Examples texts = tokenize(textColumns(examples).union(textColumns(captions)), context, room);
        examples.unpersist(false);
        captions.unpersist(false);
        long seed = config.run().seed();
        VideoBatches captioning = sft.captionSteps() == 0 ? null
                : texts.stage(row -> captionIds.contains(row.id()), sft.captionBatchSize(), seed);
        Set<String> referenced = new HashSet<>();
        texts.all().stream().filter(row -> !captionIds.contains(row.id())).forEach(row -> referenced.add(row.video()));
        VideoBatches answering = texts.stage(row -> !captionIds.contains(row.id()) || sft.captionReplay() && referenced.contains(row.video()),
                sft.batchSize(), seed);
        int perceptionSteps = sft.perceptionSteps();
        try (MetricsLog metrics = MetricsLog.start(out, hadoop)) {
            PolicyWeights initial = perceptionSteps == 0 ? start.weights() : perceive(samples, start.weights(), context, metrics);
            progress.accept(String.format(Locale.ROOT, "sft: %d examples, %d steps of about %d (%d video%s a step)%s, %s, into %s",
                    usable, sft.steps(), sft.batchSize(), answering.videosPerStep(), answering.videosPerStep() == 1 ? "" : "s",
                    sft.captionSteps() == 0 ? "" : " (the first " + sft.captionSteps() + " on " + captionIds.size() + " video captions, "
                            + sft.captionBatchSize() + " a step)",
                    start.vocabulary() == null ? config.model().architecture() + (config.model().fullFinetune() ? ", every weight of "
                            : " adapters on ") + config.model().path()
                            : "vocabulary " + start.vocabulary().pieces().size() + " pieces, prompts of "
                            + start.vocabulary().promptLength() + " tokens", out));
            // The text stages' own optimizer: the perception stage's moments are of another loss and another head.
            AdamW optimizer = new AdamW(config.optimizer().toAdamW(), initial.values().length);
            StepBatch textStep = (step, broadcast) -> {
                boolean captionStep = step <= sft.captionSteps();
                VideoBatches.Batch batch = (captionStep ? captioning : answering).next();
                BatchShape shape = new BatchShape(batch.ids().size(), batch.tokens(), config.model().maxLength());
                // The two stages' losses are of different texts: they get their own series.
                return new StepGradient(GradientStage.supervisedGradient(texts.rows(batch), broadcast, shape, context), batch.ids().size(),
                        captionStep ? CAPTION_LOSS : LOSS, captionStep ? "caption loss" : "loss");
            };
            Trained trained = trainSteps(initial, optimizer, sft.lr(), perceptionSteps, sft.steps(), metrics, textStep);
            metrics.flush();
            checkpoints.commit(new Checkpoint(perceptionSteps + sft.steps(), trained.weights(), optimizer.state(),
                    "{\"cursor\":" + answering.position() + "}", TrainingConfigLoader.toYaml(config)));
            return new Outcome(perceptionSteps + sft.steps(), trained.weights(), trained.lastLoss());
        } finally {
            texts.rows().unpersist(false);
        }
    }

    /** A stage's last weights and its last step's loss. */
    private record Trained(PolicyWeights weights, double lastLoss) {
    }

    /** One step's summed gradient, over how many examples, and the metric its loss is logged as (and how the console names it). */
    private record StepGradient(GradientSum sum, int examples, String lossKey, String lossName) {
    }

    @FunctionalInterface
    private interface StepBatch {
        StepGradient gradient(int step, PushedWeights weights);
    }

    /**
     * Steps 1..{@code steps} of one stage: the summed gradient of each step's batch, clipped AdamW
     * at {@code peakLr} after a linear warm-up (then decayed as {@code sft.lr_decay} says), the
     * new weights broadcast; logged as {@code logOffset + step}, after the stages before it.
     */
    private Trained trainSteps(PolicyWeights initial, AdamW optimizer, double peakLr, int logOffset, int steps,
                               MetricsLog metrics, StepBatch batch) throws IOException {
        JavaSparkContext sparkContext = JavaSparkContext.fromSparkContext(spark.sparkContext());
        TrainingConfig.Sft sft = config.sft();
        LearningRateSchedule schedule = sft.schedule(peakLr, steps);
        PolicyWeights weights = initial;
        double lastLoss = Double.NaN;
        PushedWeights broadcast = PushedWeights.push(sparkContext, weights, PolicyShards.Role.POLICY);
        long began = System.nanoTime();
        long examples = 0;
        try {
            for (int step = 1; step <= steps; step++) {
                long stepStart = System.nanoTime();
                StepGradient gradient = batch.gradient(step, broadcast);
                examples += gradient.examples();
                double lr = schedule.at(step);
                OptimizerStep update = OptimizerStep.take(gradient.sum(), weights, optimizer, config.grpo().maxGradNorm(), lr);
                double norm = update.gradientNorm();
                Map<String, Double> line = new LinkedHashMap<>();
                if (update.taken()) {
                    weights = update.weights();
                    PushedWeights previous = broadcast;
                    broadcast = PushedWeights.push(sparkContext, weights, PolicyShards.Role.POLICY);
                    previous.destroy();
                    lastLoss = gradient.sum().loss().loss();
                    line.put(gradient.lossKey(), lastLoss);
                    line.put(MetricKeys.GRAD_NORM, norm);
                } else {
                    LOG.warn("sft step {}: skipping a gradient that is not finite (norm {})", logOffset + step, norm);
                    line.put("sft/skipped", 1.0);
                }
                line.put("sft/lr", lr);
                line.put(MetricKeys.timing(MetricKeys.Stage.STEP), (System.nanoTime() - stepStart) / 1e9);
                metrics.append(logOffset + step, line);
                if (step % 10 == 0 || step == steps) {
                    double elapsed = (System.nanoTime() - began) / 1e9;
                    progress.accept(String.format(Locale.ROOT, "sft step %d/%d  %s %.4f  grad norm %.2f  lr %.2e  %.0f examples/s",
                            logOffset + step, logOffset + steps, gradient.lossName(), lastLoss, norm, lr,
                            examples / elapsed));
                }
            }
            return new Trained(weights, lastLoss);
        } finally {
            broadcast.destroy();
        }
    }

    /**
     * The perception stage: {@code sft.perception_steps} steps that train the frame encoder,
     * through a linear head on each frame token, to tell which objects each frame shows (binary
     * cross-entropy per object name, from the references' {@code objects}), one example per
     * video, with its own AdamW at {@code sft.perception_lr}. The head is dropped afterwards: the
     * policy that SFT goes on with, and that GRPO trains, is the same shape as without the stage.
     */
    private PolicyWeights perceive(Dataset<Row> samples, PolicyWeights initial, StageContext context, MetricsLog metrics)
            throws IOException {
        TrainingConfig.Sft sft = config.sft();
        Dataset<Row> table = firstSampleOfEachVideo(samples).join(SftReferences.loadObjects(spark, config.data().references()), Columns.ID)
                .select(Columns.ID, Columns.VIDEO, SftReferences.OBJECTS)
                .repartition(Math.max(1, spark.sparkContext().defaultParallelism()), col(Columns.ID));
        Examples examples = Examples.of(table, row -> 1);
        try {
            if (examples.all().isEmpty()) {
                throw VideoRlException.invalidInput("data.references: no objects in " + config.data().references()
                        + " match a sample id of " + config.data().train() + " (sft.perception_steps needs them)");
            }
            FrameTags tags = FrameTags.of(table);
            VideoBatches batches = examples.stage(example -> true, sft.perceptionBatchSize(), config.run().seed());
            PolicyWeights headed = withFrameTagHead(initial, tags.size());
            progress.accept(String.format(Locale.ROOT, "sft: %d perception steps of %d videos (of %d) on %d object tags",
                    sft.perceptionSteps(), batches.videosPerStep(), examples.all().size(), tags.size()));
            AdamW optimizer = new AdamW(config.optimizer().toAdamW(), headed.values().length);
            StepBatch perceptionStep = (step, broadcast) -> {
                VideoBatches.Batch batch = batches.next();
                int videos = batch.ids().size();
                return new StepGradient(GradientStage.perceptionGradient(examples.rows(batch), broadcast, tags, videos, context), videos,
                        PERCEPTION_LOSS, "perception loss");
            };
            return trainSteps(headed, optimizer, sft.perceptionLr(), 0, sft.perceptionSteps(), metrics,
                    perceptionStep).weights().withoutFrameTags();
        } finally {
            examples.rows().unpersist(false);
        }
    }

    /** {@code weights} with a freshly initialised head for {@code tags} frame tags (drawn from the run seed). */
    private PolicyWeights withFrameTagHead(PolicyWeights weights, int tags) {
        try (VideoPolicy headed = VideoPolicy.create(weights.tiny().withFrameTags(tags), Device.cpu(), config.run().seed())) {
            float[] values = headed.weights();
            System.arraycopy(weights.values(), 0, values, 0, weights.values().length);
            return headed.snapshot(weights.version()).with(weights.version(), values);
        }
    }

    private static Dataset<Row> firstSampleOfEachVideo(Dataset<Row> samples) {
        Dataset<Row> first = samples.groupBy(Columns.VIDEO).agg(min(Columns.ID).as(Columns.ID)).select(Columns.ID);
        return samples.join(first, Columns.ID);
    }

    /**
     * A stage's examples, cached on the executors as rows (one step's are picked out by id with no
     * query to plan: the plan cost 30 ms a step), and listed on the driver with the partition each
     * lies in, which {@link VideoBatches} spreads every step over.
     */
    private record Examples(JavaRDD<Row> rows, List<VideoBatches.Example> all) {

        /** The rows of {@code table}, as it is partitioned; {@code tokens} gives each row's response length. */
        static Examples of(Dataset<Row> table, Function<Row, Integer> tokens) {
            JavaRDD<Row> rows = table.javaRDD().persist(StorageLevel.MEMORY_AND_DISK());
            // Listed as rows, which Kryo knows: (id, video, tokens, partition).
            List<Row> listed = rows.mapPartitionsWithIndex((partition, partitionRows) -> {
                List<Row> out = new ArrayList<>();
                while (partitionRows.hasNext()) {
                    Row row = partitionRows.next();
                    out.add(RowFactory.create(row.<String>getAs(Columns.ID), row.<String>getAs(Columns.VIDEO), tokens.call(row), partition));
                }
                return out.iterator();
            }, true).collect();
            List<VideoBatches.Example> all = new ArrayList<>();
            listed.forEach(row -> all.add(new VideoBatches.Example(row.getString(0), row.getString(1), row.getInt(2), row.getInt(3))));
            all.sort(Comparator.comparing(VideoBatches.Example::id));
            return new Examples(rows, all);
        }

        /** The examples {@code takes} accepts, drawn video by video. */
        VideoBatches stage(Predicate<VideoBatches.Example> takes, int batchSize, long seed) {
            return VideoBatches.of(all.stream().filter(takes).toList(), batchSize, seed);
        }

        /** The rows of {@code batch}'s examples. */
        JavaRDD<Row> rows(VideoBatches.Batch batch) {
            Set<String> ids = new HashSet<>(batch.ids());
            return rows.filter(row -> ids.contains(row.<String>getAs(Columns.ID)));
        }
    }

    /**
     * The caption stage's examples: one per video (its first sample, by id, with
     * {@value #CAPTION_ID_SUFFIX} appended), asked {@value #CAPTION_PROMPT} with no options,
     * answered by the video's caption.
     */
    private static Dataset<Row> captionExamples(Dataset<Row> samples, Dataset<Row> captions) {
        return firstSampleOfEachVideo(samples).join(captions, Columns.ID)
                .withColumn(Columns.ID, concat(col(Columns.ID), lit(CAPTION_ID_SUFFIX)))
                .withColumn(Columns.PROBLEM, lit(CAPTION_PROMPT))
                .withColumn(Columns.OPTIONS, array().cast(DataTypes.createArrayType(DataTypes.StringType, false)));
    }

    /**
     * Every text example (references and captions), tokenized and spread over the executors by
     * video, after checking every response fits in {@code room} positions: a video's examples meet
     * in one partition, where a step's examples of one video share its encoded frames.
     */
    private Examples tokenize(Dataset<Row> examples, StageContext context, int room) {
        // Hashed by the video's file name, not round robin and not its whole path: each example lands in
        // the same partition every run, wherever the data lies, so the same seed batches it with the
        // same others and SFT reaches the same weights. (Hashed by path, the demo's SFT differed with
        // its --out directory from the first text step on.)
        Examples tokenized = Examples.of(tokenizeResponses(examples, context)
                .repartition(Math.max(1, spark.sparkContext().defaultParallelism()), substring_index(col(Columns.VIDEO), "/", -1)),
                row -> row.<Integer>getAs(RolloutColumns.RESPONSE_LENGTH));
        tokenized.all().stream().filter(row -> row.tokens() > room).findFirst().ifPresent(row -> {
            tokenized.rows().unpersist(false);
            throw VideoRlException.invalidInput("data.references: the reference of '" + row.id() + "' takes " + row.tokens()
                    + " tokens but only " + room + " positions are left after the frames and the prompt (raise model.max_length)");
        });
        return tokenized;
    }

    /** A text example's columns: the sample's, its weight and its reference response. */
    private static Dataset<Row> textColumns(Dataset<Row> examples) {
        return examples.selectExpr(withMore(SampleRows.SCHEMA.fieldNames(), Columns.WEIGHT, SftReferences.RESPONSE));
    }

    /** The examples (of {@link #textColumns}) with their reference's token ids (the end token appended) and length. */
    private Dataset<Row> tokenizeResponses(Dataset<Row> samples, StageContext context) {
        StructType schema = SampleRows.SCHEMA.add(Columns.WEIGHT, DataTypes.DoubleType, false)
                .add(RolloutColumns.RESPONSE_IDS, DataTypes.createArrayType(DataTypes.IntegerType, false), false)
                .add(RolloutColumns.RESPONSE_LENGTH, DataTypes.IntegerType, false);
        int responseIndex = SampleRows.SCHEMA.length() + 1;
        JavaRDD<Row> rows = samples.javaRDD().map(row -> {
            int[] ids = context.processor().referenceTargets(row.getString(responseIndex));
            return RowValues.extendPrefix(row, responseIndex, RowValues.boxed(ids), ids.length);
        });
        return spark.createDataFrame(rows, schema);
    }

    private static String[] withMore(String[] names, String... more) {
        List<String> all = new ArrayList<>(List.of(names));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }
}
