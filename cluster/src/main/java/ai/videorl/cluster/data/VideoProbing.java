package ai.videorl.cluster.data;

import ai.videorl.cluster.store.SerializableConfiguration;
import ai.videorl.cluster.video.FrameSampler;
import ai.videorl.cluster.video.FrameSamplingConfig;
import ai.videorl.cluster.video.LocalVideoFiles;
import ai.videorl.cluster.video.SampledFrames;
import ai.videorl.cluster.video.VideoException;
import ai.videorl.cluster.video.VideoProbe;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Probes every sample's video on the executors, in parallel: opens it, reads what it holds and
 * decodes the very frames training will sample, so a video that passes will not fail later. A
 * bad video becomes a rejection with its reason; the job goes on.
 */
public final class VideoProbing {

    /**
     * Per-prompt generation cost in frame-equivalents, added to the decoded frames to weigh a
     * prompt's work (a rough constant: G responses per prompt, whatever the video).
     */
    static final double GENERATION_WEIGHT = 4;

    /** Probed samples: {@link SampleRows#SCHEMA} plus what the video holds and the prompt's work weight. */
    public static final StructType SCHEMA = SampleRows.SCHEMA
            .add(Columns.DURATION_SECONDS, DataTypes.DoubleType, false)
            .add(Columns.FRAME_RATE, DataTypes.DoubleType, false)
            .add(Columns.FRAME_COUNT, DataTypes.IntegerType, false)
            .add(Columns.WIDTH, DataTypes.IntegerType, false)
            .add(Columns.HEIGHT, DataTypes.IntegerType, false)
            .add(Columns.CODEC, DataTypes.StringType, false)
            .add(Columns.WEIGHT, DataTypes.DoubleType, false);

    /** Probed samples ({@link #SCHEMA}) and the ones whose video failed ({@link Rejections#SCHEMA}). */
    public record Probed(Dataset<Row> samples, Dataset<Row> rejected) {
    }

    private VideoProbing() {
    }

    public static Probed probe(SparkSession spark, Dataset<Row> samples, FrameSamplingConfig sampling,
                               VideoCacheConfig cache, int partitions) {
        SerializableConfiguration hadoop = new SerializableConfiguration(spark.sparkContext().hadoopConfiguration());
        JavaPairRDD<Boolean, Row> probed = samples.repartition(partitions).javaRDD()
                .mapPartitionsToPair(rows -> probePartition(rows, sampling, cache, hadoop))
                .persist(StorageLevel.MEMORY_AND_DISK());
        return new Probed(spark.createDataFrame(probed.filter(Tuple2::_1).values(), SCHEMA),
                spark.createDataFrame(probed.filter(row -> !row._1()).values(), Rejections.SCHEMA));
    }

    private static Iterator<Tuple2<Boolean, Row>> probePartition(Iterator<Row> rows, FrameSamplingConfig sampling,
                                                                 VideoCacheConfig cache, SerializableConfiguration hadoop) {
        LocalVideoFiles files = new LocalVideoFiles(Path.of(cache.directory()), cache.maxBytes(), hadoop.get());
        FrameSampler sampler = new FrameSampler(sampling);
        List<Tuple2<Boolean, Row>> out = new ArrayList<>();
        while (rows.hasNext()) {
            Row row = rows.next();
            String video = row.getAs(Columns.VIDEO);
            try {
                SampledFrames frames = sampler.sample(files.localFile(video), video);
                out.add(new Tuple2<>(true, withProbe(row, frames.probe(), frames.count() + GENERATION_WEIGHT)));
            } catch (VideoException e) {
                out.add(new Tuple2<>(false, Rejections.of(row.getAs(Columns.LINE), row.getAs(Columns.ID), video, e.getMessage())));
            }
        }
        return out.iterator();
    }

    private static Row withProbe(Row row, VideoProbe probe, double weight) {
        Object[] values = new Object[row.length() + 7];
        for (int i = 0; i < row.length(); i++) {
            values[i] = row.get(i);
        }
        int i = row.length();
        values[i++] = probe.durationSeconds();
        values[i++] = probe.frameRate();
        values[i++] = probe.frameCount();
        values[i++] = probe.width();
        values[i++] = probe.height();
        values[i++] = probe.codec();
        values[i] = weight;
        return RowFactory.create(values);
    }
}
