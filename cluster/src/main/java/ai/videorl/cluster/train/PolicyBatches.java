package ai.videorl.cluster.train;

import ai.videorl.cluster.data.Columns;
import ai.videorl.cluster.data.SampleRows;
import ai.videorl.cluster.model.FrameTimes;
import ai.videorl.cluster.model.PolicyConfig;
import ai.videorl.cluster.model.VideoPolicy;
import ai.videorl.cluster.video.SampledFrames;
import ai.videorl.common.data.Sample;
import org.apache.spark.sql.Row;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rows of a partition as batches the policy takes: frames decoded (through {@link FrameCache}) and
 * their times written as the policy reads them ({@code model.frame_times}), prompts laid out, rows
 * of equal frame count together, at most {@code maxRows} to a batch. The rows keep their order
 * within a batch, so the same partition always makes the same batches.
 */
final class PolicyBatches {

    /** Rows and the policy inputs made from them, row i being input i. */
    record Batch(List<Row> rows, List<Sample> samples, VideoPolicy.Inputs inputs) {
    }

    private PolicyBatches() {
    }

    /**
     * A partition's prompt rows in id order: however Spark delivered them, the same partition then
     * makes the same batches (and a retried task the same responses).
     */
    static List<Row> inIdOrder(Iterator<Row> partition) {
        List<Row> rows = new ArrayList<>();
        partition.forEachRemaining(rows::add);
        rows.sort(Comparator.comparing(row -> row.<String>getAs(Columns.ID)));
        return rows;
    }

    /** Batches of {@code rows} in which consecutive rows of one prompt id share their frames (a group's rollouts). */
    static List<Batch> of(List<Row> rows, StageContext context, PolicyConfig policy, int maxRows) {
        return of(rows, context, policy, maxRows, Columns.ID);
    }

    /**
     * Batches of {@code rows} in which consecutive rows equal in {@code sharedBy} share their frames:
     * {@value Columns#ID} for a group's rollouts, {@value Columns#VIDEO} for questions about one video.
     */
    static List<Batch> of(List<Row> rows, StageContext context, PolicyConfig policy, int maxRows, String sharedBy) {
        Map<Integer, List<Row>> byFrames = new LinkedHashMap<>();
        Map<Row, SampledFrames> frames = new IdentityHashMap<>();
        for (Row row : rows) {
            SampledFrames sampled = FrameCache.frames(row.getAs(Columns.VIDEO),
                    context.config().video().toSampling(), context.videoCache(), context.hadoop().get());
            frames.put(row, sampled);
            byFrames.computeIfAbsent(sampled.count(), count -> new ArrayList<>()).add(row);
        }
        List<Batch> batches = new ArrayList<>();
        for (Map.Entry<Integer, List<Row>> group : byFrames.entrySet()) {
            List<Row> sameFrames = group.getValue();
            for (int start = 0; start < sameFrames.size(); start += maxRows) {
                List<Row> chunk = sameFrames.subList(start, Math.min(sameFrames.size(), start + maxRows));
                batches.add(batch(chunk, group.getKey(), frames, context, policy.frameTimes(), sharedBy));
            }
        }
        return batches;
    }

    private static Batch batch(List<Row> rows, int frameCount, Map<Row, SampledFrames> frames, StageContext context, int timeWidth,
                               String sharedBy) {
        List<Sample> samples = new ArrayList<>(rows.size());
        int[][] prompts = new int[rows.size()][];
        for (int i = 0; i < rows.size(); i++) {
            Sample sample = SampleRows.fromRow(rows.get(i));
            samples.add(sample);
            prompts[i] = context.layout().encode(sample, context.tokenizer());
        }
        int copies = sharedRun(rows, sharedBy);
        int frameValues = frames.get(rows.get(0)).pixels().length;
        int timeValues = frameCount * timeWidth;
        float[] pixels = new float[rows.size() / copies * frameValues];
        int[] times = new int[rows.size() / copies * timeValues];
        for (int video = 0; video < rows.size() / copies; video++) {
            Row first = rows.get(video * copies);
            SampledFrames sampled = frames.get(first);
            System.arraycopy(sampled.pixels(), 0, pixels, video * frameValues, frameValues);
            if (timeWidth > 0) {
                System.arraycopy(FrameTimes.tokens(sampled.timestamps(), timeWidth, context.tokenizer(), first.getAs(Columns.VIDEO)), 0,
                        times, video * timeValues, timeValues);
            }
        }
        return new Batch(List.copyOf(rows), List.copyOf(samples), new VideoPolicy.Inputs(pixels, frameCount, prompts, copies, times));
    }

    /**
     * How many consecutive rows share each value of {@code column}, when every value in the batch
     * has the same number in a row (a group's rollouts sorted by id, or a video's questions sorted
     * by video): their frames are then encoded once per run. Otherwise 1.
     */
    static int sharedRun(List<Row> rows, String column) {
        List<Integer> runs = new ArrayList<>();
        int start = 0;
        for (int i = 1; i <= rows.size(); i++) {
            if (i == rows.size() || !rows.get(i).<String>getAs(column).equals(rows.get(start).<String>getAs(column))) {
                runs.add(i - start);
                start = i;
            }
        }
        return runs.stream().distinct().count() == 1 ? runs.get(0) : 1;
    }
}
