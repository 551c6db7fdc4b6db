package ai.videorl.cluster.train;

import ai.videorl.cluster.data.Columns;
import ai.videorl.cluster.model.Policy;
import ai.videorl.cluster.model.VideoPolicy;
import ai.videorl.cluster.rollout.PushedWeights;
import ai.videorl.cluster.video.SampledFrames;
import ai.videorl.common.loss.BatchShape;
import ai.videorl.common.loss.PolicyLossConfig;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The gradient stage: each executor computes the loss's gradient over its partitions of the
 * batch on its policy shard, and {@code treeAggregate} sums them ({@link GradientSum}). Every
 * shard weights its tokens by the whole batch's {@link BatchShape}, so the sum is exactly the
 * gradient of the batch's loss.
 */
public final class GradientStage {

    /** One pass's gradient on a shard. */
    @FunctionalInterface
    private interface PassGradient extends Serializable {
        Policy.Gradient of(Policy policy, PolicyBatches.Batch batch, int[][] responses);
    }

    private GradientStage() {
    }

    /** The GRPO loss's gradient over {@code rollouts} (advantaged rows of the rollout table). */
    public static GradientSum policyGradient(Dataset<Row> rollouts, PushedWeights weights, BatchShape shape, StageContext context) {
        return aggregate(rollouts.javaRDD(), weights, context, (policy, batch, responses) -> {
            PolicyLossConfig loss = context.config().grpo().toLoss();
            List<Row> rows = batch.rows();
            double[][] old = new double[rows.size()][];
            double[][] reference = loss.klCoefficient() > 0 ? new double[rows.size()][] : null;
            double[][] advantages = new double[rows.size()][];
            for (int i = 0; i < rows.size(); i++) {
                old[i] = RowValues.doubles(rows.get(i), RolloutColumns.LOG_PROBS);
                advantages[i] = RowValues.doubles(rows.get(i), RolloutColumns.ADVANTAGES);
                if (reference != null) {
                    reference[i] = RowValues.doubles(rows.get(i), RolloutColumns.REFERENCE_LOG_PROBS);
                }
            }
            double temperature = context.config().rollout().toDecoding().scoringTemperature();
            return policy.policyGradient(batch.inputs(), responses, new Policy.PolicyTargets(old, reference, advantages, temperature),
                    loss, shape);
        });
    }

    /** The cross-entropy gradient of reference responses (rows with {@code response_ids}). */
    public static GradientSum supervisedGradient(JavaRDD<Row> examples, PushedWeights weights, BatchShape shape, StageContext context) {
        return aggregate(examples, weights, context, (policy, batch, responses) -> policy.supervisedGradient(batch.inputs(), responses, shape));
    }

    /**
     * The perception stage's gradient over {@code videos} (rows with {@value Columns#ID},
     * {@value Columns#VIDEO} and {@value SftReferences#OBJECTS}): each frame's label for tag i of
     * {@code tags} is whether an object of that name is on screen at the frame's timestamp.
     */
    public static GradientSum perceptionGradient(JavaRDD<Row> videos, PushedWeights weights, FrameTags tags, int videosInBatch,
                                                 StageContext context) {
        return videos.mapPartitions(partition -> List.of(partitionPerceptionGradient(PolicyBatches.inIdOrder(partition), weights, tags,
                        videosInBatch, context)).iterator())
                .treeAggregate(new GradientSum(), GradientSum::merge, GradientSum::merge);
    }

    private static GradientSum partitionPerceptionGradient(List<Row> rows, PushedWeights weights, FrameTags tags, int videosInBatch,
                                                           StageContext context) {
        GradientSum sum = new GradientSum();
        if (rows.isEmpty()) {
            return sum;
        }
        VideoPolicy policy = frameTagging(weights.shard());
        // Videos of equal frame count go through the encoder together.
        Map<Integer, List<LabelledVideo>> byFrameCount = new LinkedHashMap<>();
        for (Row row : rows) {
            SampledFrames frames = FrameCache.frames(row.getAs(Columns.VIDEO), context.config().video().toSampling(),
                    context.videoCache(), context.hadoop().get());
            byFrameCount.computeIfAbsent(frames.count(), count -> new ArrayList<>())
                    .add(new LabelledVideo(frames.pixels(), tags.labels(row, frames.timestamps())));
        }
        int rowsPerPass = context.config().grpo().microBatchRows();
        byFrameCount.forEach((frameCount, videos) -> {
            for (int start = 0; start < videos.size(); start += rowsPerPass) {
                List<LabelledVideo> pass = videos.subList(start, Math.min(videos.size(), start + rowsPerPass));
                Policy.Gradient gradient = policy.perceptionGradient(concatenate(pass.stream().map(LabelledVideo::pixels).toList()),
                        frameCount, concatenate(pass.stream().map(LabelledVideo::labels).toList()), videosInBatch);
                sum.add(gradient.values(), gradient.loss());
            }
        });
        return sum;
    }

    /** The perception stage trains the tiny architecture's frame-tag head: no other policy has one. */
    private static VideoPolicy frameTagging(Policy policy) {
        if (policy instanceof VideoPolicy tiny) {
            return tiny;
        }
        throw new IllegalStateException("the perception warm-up trains a frame-tag head, which only the tiny architecture has");
    }

    /** A video's frames and its [F · T] frame-tag labels. */
    private record LabelledVideo(float[] pixels, float[] labels) {
    }

    private static float[] concatenate(List<float[]> arrays) {
        float[] all = new float[arrays.stream().mapToInt(array -> array.length).sum()];
        int offset = 0;
        for (float[] array : arrays) {
            System.arraycopy(array, 0, all, offset, array.length);
            offset += array.length;
        }
        return all;
    }

    private static GradientSum aggregate(JavaRDD<Row> rows, PushedWeights weights, StageContext context, PassGradient pass) {
        return rows.mapPartitions(partition -> List.of(partitionGradient(partition, weights, context, pass)).iterator())
                .treeAggregate(new GradientSum(), GradientSum::merge, GradientSum::merge);
    }

    private static GradientSum partitionGradient(Iterator<Row> partition, PushedWeights weights, StageContext context,
                                                 PassGradient pass) {
        List<Row> rows = new ArrayList<>();
        partition.forEachRemaining(rows::add);
        GradientSum sum = new GradientSum();
        if (rows.isEmpty()) {
            return sum;
        }
        boolean rollouts = rows.get(0).schema().getFieldIndex(RolloutColumns.SAMPLE_INDEX).isDefined();
        // A group's rollouts run together, and so do an SFT batch's examples of one video: either way
        // the run's frames are encoded once.
        Comparator<Row> byId = Comparator.comparing(row -> row.<String>getAs(Columns.ID));
        Comparator<Row> order = rollouts ? byId.thenComparingInt(row -> row.<Integer>getAs(RolloutColumns.SAMPLE_INDEX))
                : Comparator.<Row, String>comparing(row -> row.getAs(Columns.VIDEO)).thenComparing(byId);
        rows.sort(order);
        Policy policy = weights.shard();
        for (PolicyBatches.Batch batch : PolicyBatches.of(rows, context, context.config().grpo().microBatchRows(), rollouts ? Columns.ID : Columns.VIDEO)) {
            int[][] responses = new int[batch.rows().size()][];
            for (int i = 0; i < responses.length; i++) {
                responses[i] = RowValues.ints(batch.rows().get(i), RolloutColumns.RESPONSE_IDS);
            }
            Policy.Gradient gradient = pass.of(policy, batch, responses);
            sum.add(gradient.values(), gradient.loss());
        }
        return sum;
    }
}
