package ai.videorl.cluster.train;

import ai.videorl.cluster.LocalSpark;
import ai.videorl.cluster.data.Columns;
import ai.videorl.common.error.VideoRlException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** GRPO's gain over the warm start, paired prompt by prompt over two evaluations' outputs. */
class PairedGainSparkIT {

    private static final StructType SCORES = new StructType()
            .add(Columns.ID, DataTypes.StringType)
            .add(Evaluator.ANSWER_ACCURACY, DataTypes.DoubleType)
            .add(RolloutColumns.TOTAL, DataTypes.DoubleType);

    @Test
    void pairsThePromptsBothEvaluatedAndGivesEachDifferencesMeanAndStandardError() {
        Dataset<Row> before = scores(new String[] {"a", "b", "c", "d"}, new double[] {0, 1, 0, 0.5}, new double[] {1, 2, 1, 1.5});
        // "e" was evaluated only afterwards: it has nothing to be paired with.
        Dataset<Row> after = scores(new String[] {"d", "c", "b", "a", "e"}, new double[] {0.75, 0, 1, 1, 1},
                new double[] {1.5, 1, 2, 2, 3});

        PairedGain gain = PairedGain.of(before, after);

        assertEquals(4, gain.prompts());
        double[] accuracy = {1, 0, 0, 0.25};
        assertEquals(mean(accuracy), gain.accuracy().mean(), 1e-12);
        assertEquals(standardError(accuracy), gain.accuracy().standardError(), 1e-12);
        double[] reward = {1, 0, 0, 0};
        assertEquals(0.25, gain.meanReward().mean(), 1e-12);
        assertEquals(standardError(reward), gain.meanReward().standardError(), 1e-12);
        assertEquals(1.0, gain.meanReward().standardErrors(), 1e-12);
        assertEquals(0.5, gain.changed(), 1e-12, "a and d changed, b and c did not");
        assertTrue(gain.describe().startsWith("accuracy +0.313 (standard error 0.237), mean reward +0.250 (0.250); 50 %"),
                gain.describe());
    }

    @Test
    void evaluationsOfDifferentPromptsCannotBeCompared() {
        Dataset<Row> before = scores(new String[] {"a"}, new double[] {1}, new double[] {2});
        Dataset<Row> after = scores(new String[] {"b"}, new double[] {1}, new double[] {2});
        VideoRlException error = assertThrows(VideoRlException.class, () -> PairedGain.of(before, after));
        assertTrue(error.getMessage().contains("share no prompt id"), error.getMessage());
    }

    private static Dataset<Row> scores(String[] ids, double[] accuracy, double[] reward) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < ids.length; i++) {
            rows.add(RowFactory.create(ids[i], accuracy[i], reward[i]));
        }
        return LocalSpark.session().createDataFrame(rows, SCORES);
    }

    private static double mean(double[] values) {
        double sum = 0;
        for (double value : values) {
            sum += value;
        }
        return sum / values.length;
    }

    /** The sample standard deviation over the square root of the count. */
    private static double standardError(double[] values) {
        double mean = mean(values);
        double squares = 0;
        for (double value : values) {
            squares += (value - mean) * (value - mean);
        }
        return Math.sqrt(squares / (values.length - 1)) / Math.sqrt(values.length);
    }
}
