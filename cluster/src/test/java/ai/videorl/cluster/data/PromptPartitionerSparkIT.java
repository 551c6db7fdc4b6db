package ai.videorl.cluster.data;

import ai.videorl.cluster.LocalSpark;
import ai.videorl.common.data.PartitionPlan;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class PromptPartitionerSparkIT {

    @Test
    void eachPartitionCarriesItsPlannedWork() {
        SparkSession spark = LocalSpark.session();
        StructType schema = new StructType().add(Columns.ID, DataTypes.StringType).add(Columns.WEIGHT, DataTypes.DoubleType);
        Random random = new Random(11);
        List<Row> rows = new ArrayList<>();
        double[] weights = new double[200];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = random.nextInt(10) == 0 ? 40 + random.nextInt(200) : 4 + random.nextInt(12);
            rows.add(RowFactory.create("p" + i, weights[i]));
        }
        Dataset<Row> balanced = PromptPartitioner.balance(spark, spark.createDataFrame(rows, schema), 5);
        List<List<Row>> partitions = balanced.javaRDD().glom().collect();
        assertEquals(5, partitions.size());
        double[] loads = partitions.stream().mapToDouble(part -> part.stream().mapToDouble(row -> row.getDouble(1)).sum()).toArray();
        assertArrayEquals(PartitionPlan.balance(weights, 5).loads(), loads, 1e-9);
        assertEquals(200, partitions.stream().mapToLong(List::size).sum(), "every prompt once");
    }
}
