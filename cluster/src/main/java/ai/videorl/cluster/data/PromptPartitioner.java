package ai.videorl.cluster.data;

import ai.videorl.common.data.PartitionPlan;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.List;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;

/**
 * Spreads prompts over partitions so each carries similar decode + generation work, by the
 * {@value Columns#WEIGHT} column: the driver plans with {@link PartitionPlan} (heaviest first onto
 * the least loaded partition), a broadcast join tags each row with its planned partition, and
 * the rows move there in one shuffle.
 */
public final class PromptPartitioner {

    private static final String PLANNED = "planned_partition";

    private PromptPartitioner() {
    }

    /** The rows of {@code prompts} (which need {@value Columns#ID} and {@value Columns#WEIGHT}) in {@code partitions} balanced partitions. */
    public static Dataset<Row> balance(SparkSession spark, Dataset<Row> prompts, int partitions) {
        if (partitions == 1) {
            return prompts.coalesce(1); // nothing to balance: skip the planning job and the shuffle
        }
        // Sorted, so the plan does not depend on the order a shuffle happened to leave the rows in.
        List<Row> weights = prompts.select(Columns.ID, Columns.WEIGHT).orderBy(Columns.ID).collectAsList();
        double[] values = new double[weights.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = weights.get(i).getDouble(1);
        }
        PartitionPlan plan = PartitionPlan.balance(values, partitions);
        List<Row> assignment = new ArrayList<>(weights.size());
        for (int i = 0; i < values.length; i++) {
            assignment.add(RowFactory.create(weights.get(i).getString(0), plan.partitionOf(i)));
        }
        StructType planSchema = new StructType().add(Columns.ID, DataTypes.StringType, false).add(PLANNED, DataTypes.IntegerType, false);
        Dataset<Row> planned = prompts.join(broadcast(spark.createDataFrame(assignment, planSchema)), Columns.ID)
                .select(prompts.col("*"), col(PLANNED));
        int plannedIndex = prompts.schema().length();
        JavaRDD<Row> placed = planned.javaRDD()
                .keyBy(row -> row.getInt(plannedIndex))
                .partitionBy(new ByIndex(partitions))
                .values()
                .map(PromptPartitioner::withoutLast);
        return spark.createDataFrame(placed, prompts.schema());
    }

    private static Row withoutLast(Row row) {
        Object[] values = new Object[row.length() - 1];
        for (int i = 0; i < values.length; i++) {
            values[i] = row.get(i);
        }
        return RowFactory.create(values);
    }

    /** The key is the partition. */
    private static final class ByIndex extends Partitioner {
        private static final long serialVersionUID = 1L;

        private final int partitions;

        ByIndex(int partitions) {
            this.partitions = partitions;
        }

        @Override
        public int numPartitions() {
            return partitions;
        }

        @Override
        public int getPartition(Object key) {
            return (Integer) key;
        }
    }
}
