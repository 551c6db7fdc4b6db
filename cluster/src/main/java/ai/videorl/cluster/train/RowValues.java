package ai.videorl.cluster.train;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

import java.util.Arrays;

/** The row plumbing the stages share: rows that add columns to their input, and array columns as Java arrays. */
final class RowValues {

    private RowValues() {
    }

    /** {@code row}'s values followed by {@code more}: a stage's output row for its input row. */
    static Row extend(Row row, Object... more) {
        return extendPrefix(row, row.length(), more);
    }

    /** The first {@code kept} values of {@code row} followed by {@code more}. */
    static Row extendPrefix(Row row, int kept, Object... more) {
        Object[] values = new Object[kept + more.length];
        for (int c = 0; c < kept; c++) {
            values[c] = row.get(c);
        }
        System.arraycopy(more, 0, values, kept, more.length);
        return RowFactory.create(values);
    }

    static int[] ints(Row row, String column) {
        return row.<Integer>getList(row.fieldIndex(column)).stream().mapToInt(Integer::intValue).toArray();
    }

    static double[] doubles(Row row, String column) {
        return row.<Double>getList(row.fieldIndex(column)).stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** An array column's value, as Spark's row encoder takes it. */
    static Integer[] boxed(int[] values) {
        return Arrays.stream(values).boxed().toArray(Integer[]::new);
    }

    static Double[] boxed(double[] values) {
        return Arrays.stream(values).boxed().toArray(Double[]::new);
    }
}
