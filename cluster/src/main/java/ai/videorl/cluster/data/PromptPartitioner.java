package ai.videorl.cluster.data;

import ai.videorl.common.data.PartitionPlan;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Spreads prompts over partitions so each carries similar decode + generation work, by the
 * {@value Columns#WEIGHT} column: the driver plans with {@link PartitionPlan} (longest first onto
 * the least loaded partition), and the rows move to their planned partitions in one shuffle.
 */
public final class PromptPartitioner {

    private PromptPartitioner() {
    }

    /** The rows of {@code prompts} (which need {@value Columns#ID} and {@value Columns#WEIGHT}) in {@code partitions} balanced partitions. */
    public static Dataset<Row> balance(SparkSession spark, Dataset<Row> prompts, int partitions) {
        List<Row> weights = prompts.select(Columns.ID, Columns.WEIGHT).collectAsList();
        double[] values = new double[weights.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = weights.get(i).getDouble(1);
        }
        PartitionPlan plan = PartitionPlan.balance(values, partitions);
        Map<String, Integer> partitionOf = new HashMap<>();
        for (int i = 0; i < values.length; i++) {
            partitionOf.put(weights.get(i).getString(0), plan.partitionOf(i));
        }
        Broadcast<Map<String, Integer>> assignment = spark.sparkContext()
                .broadcast(partitionOf, scala.reflect.ClassTag$.MODULE$.apply(Map.class));
        JavaRDD<Row> placed = prompts.javaRDD()
                .keyBy(row -> row.<String>getAs(Columns.ID))
                .partitionBy(new Planned(partitions, assignment))
                .values();
        return spark.createDataFrame(placed, prompts.schema());
    }

    /** Sends each prompt id to its planned partition. */
    private static final class Planned extends Partitioner {
        private static final long serialVersionUID = 1L;

        private final int partitions;
        private final Broadcast<Map<String, Integer>> assignment;

        Planned(int partitions, Broadcast<Map<String, Integer>> assignment) {
            this.partitions = partitions;
            this.assignment = assignment;
        }

        @Override
        public int numPartitions() {
            return partitions;
        }

        @Override
        public int getPartition(Object id) {
            Integer partition = assignment.value().get((String) id);
            if (partition == null) {
                throw new IllegalStateException("prompt '" + id + "' was not in the partition plan");
            }
            return partition;
        }
    }
}
