package ai.videorl.cluster.data;

import ai.videorl.common.text.Utf8Lines;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapred.TextInputFormat;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * The lines of a text file on any Hadoop filesystem, decoded one by one from its raw bytes:
 * Spark's own text and JSON readers turn a byte that is not UTF-8 into U+FFFD unseen, so a line
 * of another encoding would be read as if it were right. Lines are numbered from 1.
 */
public final class Utf8TextFile {

    private static final Logger LOG = LoggerFactory.getLogger(Utf8TextFile.class);
    /** Bad lines named in the log, at most: the count says how many more. */
    private static final int NAMED = 10;

    private Utf8TextFile() {
    }

    /** Each line, decoded (lines that are not UTF-8 carry their error), with its 1-based number. */
    public static JavaPairRDD<Utf8Lines.Decoded, Long> lines(SparkSession spark, String location) {
        return JavaSparkContext.fromSparkContext(spark.sparkContext())
                .hadoopFile(location, TextInputFormat.class, LongWritable.class, Text.class)
                .map(record -> Utf8Lines.decode(record._2().getBytes(), record._2().getLength()))
                .zipWithIndex()
                .mapToPair(line -> new scala.Tuple2<>(line._1(), line._2() + 1));
    }

    /**
     * The file's lines that are valid UTF-8, for Spark's JSON reader; each other one is logged as
     * {@code key: FILE:LINE: why} and left out, as a manifest's bad lines are.
     */
    public static Dataset<String> validLines(SparkSession spark, String location, String key) {
        JavaPairRDD<Utf8Lines.Decoded, Long> lines = lines(spark, location);
        JavaRDD<String> bad = lines.filter(line -> line._1().error() != null)
                .map(line -> location + ":" + line._2() + ": " + line._1().error());
        long count = bad.count();
        if (count > 0) {
            List<String> named = bad.take(NAMED);
            named.forEach(line -> LOG.warn("{}: {}; the line is left out", key, line));
            if (count > named.size()) {
                LOG.warn("{}: {} more lines of {} are not valid UTF-8 and left out", key, count - named.size(), location);
            }
        }
        JavaRDD<String> good = lines.filter(line -> line._1().error() == null).map(line -> line._1().text());
        return spark.createDataset(good.rdd(), Encoders.STRING());
    }
}
