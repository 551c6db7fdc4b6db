package ai.videorl.cluster.train;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;

/**
 * The run's rollout table, {@code RUN_DIR/rollouts/}: every rollout with its reward terms and
 * advantages, Parquet partitioned by iteration (query it with Spark SQL). An iteration re-run
 * after a resume replaces its own partition only (dynamic partition overwrite), so the table
 * never holds an iteration twice.
 */
public final class RolloutStore {

    private RolloutStore() {
    }

    public static void write(Dataset<Row> rollouts, String runDirectory) {
        // Set per write, not only on the session: the table must never get duplicate iterations.
        rollouts.sparkSession().conf().set("spark.sql.sources.partitionOverwriteMode", "dynamic");
        rollouts.write().mode(SaveMode.Overwrite).partitionBy(RolloutColumns.ITERATION)
                .parquet(RunFiles.child(runDirectory, RunFiles.ROLLOUTS));
    }

    public static Dataset<Row> read(org.apache.spark.sql.SparkSession spark, String runDirectory) {
        return spark.read().parquet(RunFiles.child(runDirectory, RunFiles.ROLLOUTS));
    }
}
