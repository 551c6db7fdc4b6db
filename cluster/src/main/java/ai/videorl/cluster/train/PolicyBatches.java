package ai.videorl.cluster.train;

import ai.videorl.cluster.data.Columns;
import ai.videorl.cluster.data.SampleRows;
import ai.videorl.cluster.model.PolicyInputs;
import ai.videorl.cluster.model.PolicyProcessor;
import ai.videorl.common.data.Sample;
import org.apache.spark.sql.Row;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;

/**
 * Rows of a partition as batches the policy takes, made by the run's {@link PolicyProcessor}: at
 * most {@code maxRows} to a batch, rows in their order within a batch, so the same partition always
 * makes the same batches.
 */
final class PolicyBatches {

    /** Rows and the policy inputs made from them, row i being input i. */
    record Batch(List<Row> rows, List<Sample> samples, PolicyInputs inputs) {
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
    static List<Batch> of(List<Row> rows, StageContext context, int maxRows) {
        return of(rows, context, maxRows, Columns.ID);
    }

    /**
     * Batches of {@code rows} in which consecutive rows equal in {@code sharedBy} share their frames:
     * {@value Columns#ID} for a group's rollouts, {@value Columns#VIDEO} for questions about one video.
     */
    static List<Batch> of(List<Row> rows, StageContext context, int maxRows, String sharedBy) {
        List<Sample> samples = rows.stream().map(SampleRows::fromRow).toList();
        Function<Sample, String> key = sharedBy.equals(Columns.VIDEO) ? Sample::video : Sample::id;
        List<Batch> batches = new ArrayList<>();
        for (PolicyProcessor.Batch batch : context.processor().batches(samples, maxRows, key)) {
            batches.add(new Batch(Arrays.stream(batch.rows()).mapToObj(rows::get).toList(),
                    Arrays.stream(batch.rows()).mapToObj(samples::get).toList(), batch.inputs()));
        }
        return batches;
    }
}
