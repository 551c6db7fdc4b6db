package ai.videorl.cluster.data;

import ai.videorl.cluster.store.SerializableConfiguration;
import ai.videorl.cluster.video.FrameSampler;
import ai.videorl.cluster.video.FrameSamplingConfig;
import ai.videorl.cluster.video.LocalVideoFiles;
import ai.videorl.cluster.video.SampledFrames;
import ai.videorl.cluster.video.VideoException;
import ai.videorl.cluster.video.VideoProbe;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.sql.Column;
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
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Probes every sample's video on the executors, in parallel and once per distinct video: opens
 * it, reads what it holds and decodes the very frames training will sample, so a video that
 * passes will not fail later. Every sample of a bad video becomes a rejection with the video's
 * reason; the job goes on.
 */
public final class VideoProbing {

    /**
     * Per-prompt generation cost in frame-equivalents, added to the decoded frames to weigh a
     * prompt's work (a rough constant: G responses per prompt, whatever the video).
     */
    static final double GENERATION_WEIGHT = 4;

    private static final String PROBED_VIDEO = "probed_video";

    /** What probing found of one video, and the work weight of a prompt about it. */
    private static final StructType PROBE_SCHEMA = new StructType()
            .add(PROBED_VIDEO, DataTypes.StringType, false)
            .add(Columns.DURATION_SECONDS, DataTypes.DoubleType, false)
            .add(Columns.FRAME_RATE, DataTypes.DoubleType, false)
            .add(Columns.FRAME_COUNT, DataTypes.IntegerType, false)
            .add(Columns.WIDTH, DataTypes.IntegerType, false)
            .add(Columns.HEIGHT, DataTypes.IntegerType, false)
            .add(Columns.CODEC, DataTypes.StringType, false)
            .add(Columns.WEIGHT, DataTypes.DoubleType, false);

    /** A video that cannot be used, and why. */
    private static final StructType FAILURE_SCHEMA = new StructType()
            .add(PROBED_VIDEO, DataTypes.StringType, false)
            .add(Columns.REASON, DataTypes.StringType, false);

    /**
     * Probed samples ({@link SampleRows#SCHEMA} plus {@value Columns#DURATION_SECONDS} …
     * {@value Columns#WEIGHT}) and the samples whose video failed ({@link Rejections#SCHEMA}).
     */
    public record Probed(Dataset<Row> samples, Dataset<Row> rejected, JavaPairRDD<Boolean, Row> probedVideos) {
        /** Frees the cached probe results. */
        public void release() {
            probedVideos.unpersist(false);
        }
    }

    private VideoProbing() {
    }

    public static Probed probe(SparkSession spark, Dataset<Row> samples, FrameSamplingConfig sampling,
                               VideoCacheConfig cache, int partitions) {
        SerializableConfiguration hadoop = new SerializableConfiguration(spark.sparkContext().hadoopConfiguration());
        // Datasets ask several questions about one video: probe each video once.
        JavaPairRDD<Boolean, Row> videos = samples.select(Columns.VIDEO).distinct().repartition(partitions).javaRDD()
                .mapPartitionsToPair(rows -> probePartition(rows, sampling, cache, hadoop))
                .persist(StorageLevel.MEMORY_AND_DISK());
        // Probe now, once: the joins below run as concurrent broadcast jobs that would each probe
        // every video again before the cache filled.
        videos.count();
        Dataset<Row> good = spark.createDataFrame(videos.filter(Tuple2::_1).values(), PROBE_SCHEMA);
        Dataset<Row> bad = spark.createDataFrame(videos.filter(video -> !video._1()).values(), FAILURE_SCHEMA);
        Column[] probedColumns = Stream.concat(Arrays.stream(samples.columns()).map(samples::col),
                Arrays.stream(PROBE_SCHEMA.fieldNames()).skip(1).map(good::col)).toArray(Column[]::new);
        Dataset<Row> probed = samples.join(good, samples.col(Columns.VIDEO).equalTo(good.col(PROBED_VIDEO))).select(probedColumns);
        Dataset<Row> rejected = samples.join(bad, samples.col(Columns.VIDEO).equalTo(bad.col(PROBED_VIDEO)))
                .select(samples.col(Columns.LINE), samples.col(Columns.ID), samples.col(Columns.VIDEO), bad.col(Columns.REASON));
        return new Probed(probed, rejected, videos);
    }

    /** Probes the videos of a partition of {@value Columns#VIDEO} rows: (true, probe row) or (false, failure row). */
    private static Iterator<Tuple2<Boolean, Row>> probePartition(Iterator<Row> rows, FrameSamplingConfig sampling,
                                                                 VideoCacheConfig cache, SerializableConfiguration hadoop) {
        LocalVideoFiles files = new LocalVideoFiles(Path.of(cache.directory()), cache.maxBytes(), hadoop.get());
        FrameSampler sampler = new FrameSampler(sampling);
        List<Tuple2<Boolean, Row>> out = new ArrayList<>();
        while (rows.hasNext()) {
            String video = rows.next().getString(0);
            try {
                SampledFrames frames = sampler.sample(files.localFile(video), video);
                out.add(new Tuple2<>(true, probeRow(video, frames.probe(), frames.count() + GENERATION_WEIGHT)));
            } catch (VideoException e) {
                out.add(new Tuple2<>(false, RowFactory.create(video, e.getMessage())));
            } catch (RuntimeException e) {
                // Whatever else one video throws (a path FFmpeg cannot take, a decoder fault) loses that video only.
                out.add(new Tuple2<>(false, RowFactory.create(video, video + ": unreadable: " + e)));
            }
        }
        return out.iterator();
    }

    private static Row probeRow(String video, VideoProbe probe, double weight) {
        return RowFactory.create(video, probe.durationSeconds(), probe.frameRate(), probe.frameCount(), probe.width(),
                probe.height(), probe.codec(), weight);
    }
}
