package ai.videorl.cluster.train;

import ai.videorl.cluster.data.Columns;
import ai.videorl.cluster.data.ManifestReader;
import ai.videorl.cluster.data.Preparation;
import ai.videorl.common.error.VideoRlException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

/**
 * The samples a command trains or evaluates on: a directory that {@code prepare} wrote (its
 * split for this command when it made one, else all its samples), a Parquet table of samples,
 * or a manifest. Manifest videos have not been probed: a bad one fails the task that reads it,
 * so run {@code prepare} first for anything but small, trusted data. Every result has a
 * {@value Columns#WEIGHT} column for partition planning.
 */
public final class TrainingData {

    private static final Logger LOG = LoggerFactory.getLogger(TrainingData.class);

    /** Which of prepare's splits a command prefers. */
    public enum Split {
        GRPO(Preparation.GRPO), SFT(Preparation.SFT), ALL(Preparation.SAMPLES);

        private final String file;

        Split(String file) {
            this.file = file;
        }
    }

    private TrainingData() {
    }

    public static Dataset<Row> load(SparkSession spark, String location, Split split, String key) {
        if (location == null || location.isBlank()) {
            throw VideoRlException.invalidConfiguration(key + " must name a prepared dataset, a Parquet table or a manifest");
        }
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        Dataset<Row> samples;
        try {
            Path path = new Path(location);
            var fileSystem = path.getFileSystem(hadoop);
            if (!fileSystem.exists(path)) {
                throw VideoRlException.invalidConfiguration(key + ": " + location + " does not exist");
            }
            boolean directory = fileSystem.getFileStatus(path).isDirectory();
            if (directory && fileSystem.exists(new Path(path, Preparation.SAMPLES))) {
                String file = fileSystem.exists(new Path(path, split.file)) ? split.file : Preparation.SAMPLES;
                samples = spark.read().parquet(new Path(path, file).toString());
            } else if (directory || location.endsWith(".parquet")) {
                samples = spark.read().parquet(location);
            } else {
                ManifestReader.Manifest manifest = ManifestReader.read(spark, location);
                long rejected = manifest.rejected().count();
                if (rejected > 0) {
                    LOG.warn("{}: {} manifest lines are unusable and skipped (run prepare to see them in its quarantine), e.g. {}",
                            location, rejected, manifest.rejected().first());
                }
                samples = manifest.samples();
            }
        } catch (IOException e) {
            throw VideoRlException.invalidConfiguration(key + ": cannot read " + location + ": " + e.getMessage());
        }
        requireUniqueIds(samples, key + ": " + location);
        if (!Arrays.asList(samples.columns()).contains(Columns.WEIGHT)) {
            samples = samples.withColumn(Columns.WEIGHT, lit(1.0));
        }
        return samples;
    }

    /** Ids key rollout groups, seeds and SFT targets: a repeated one would merge two samples. */
    static void requireUniqueIds(Dataset<Row> rows, String source) {
        List<Row> repeated = rows.groupBy(Columns.ID).count().filter(col("count").gt(1)).limit(1).collectAsList();
        if (!repeated.isEmpty()) {
            throw VideoRlException.invalidInput(source + " holds the id '" + repeated.get(0).getString(0) + "' "
                    + repeated.get(0).getLong(1) + " times; ids must be unique");
        }
    }
}
